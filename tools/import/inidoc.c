/* inidoc.c — the lvsd.ini document lvsd-import builds (inidoc.h). */
#include "inidoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ini_init(struct ini_doc *d)
{
	d->head = NULL;
	d->tail = &d->head;
	d->oom = 0;
}

void ini_free(struct ini_doc *d)
{
	struct ini_sect *s = d->head;

	while (s) {
		struct ini_sect *next = s->next;

		for (size_t i = 0; i < s->n_lines; i++) {
			free(s->lines[i].key);
			free(s->lines[i].value);
		}
		free(s->lines);
		free(s->header);
		free(s->origin);
		free(s);
		s = next;
	}
	ini_init(d);
}

struct ini_sect *ini_sect_add(struct ini_doc *d, const char *origin,
			      const char *fmt, ...)
{
	struct ini_sect *s;
	va_list ap;
	int n;

	if (d->oom || !(s = calloc(1, sizeof(*s)))) {
		d->oom = 1;
		return NULL;
	}
	va_start(ap, fmt);
	n = vasprintf(&s->header, fmt, ap);
	va_end(ap);
	if (n < 0 || (origin && !(s->origin = strdup(origin)))) {
		if (n >= 0)
			free(s->header);
		free(s);
		d->oom = 1;
		return NULL;
	}
	*d->tail = s;
	d->tail = &s->next;
	return s;
}

struct ini_sect *ini_sect_find(struct ini_doc *d, const char *header)
{
	for (struct ini_sect *s = d->head; s; s = s->next)
		if (!strcmp(s->header, header))
			return s;
	return NULL;
}

static void put(struct ini_doc *d, struct ini_sect *s, const char *key,
		int replace, const char *fmt, va_list ap)
{
	struct ini_line *nl;
	char *k = NULL, *v = NULL;

	if (d->oom || !s)
		return;
	if (vasprintf(&v, fmt, ap) < 0 || (key && !(k = strdup(key)))) {
		if (v)
			free(v);
		d->oom = 1;
		return;
	}
	if (replace && key) {
		for (size_t i = 0; i < s->n_lines; i++) {
			if (s->lines[i].key && !strcmp(s->lines[i].key, key)) {
				free(s->lines[i].value);
				s->lines[i].value = v;
				free(k);
				return;
			}
		}
	}
	nl = realloc(s->lines, (s->n_lines + 1) * sizeof(*nl));
	if (!nl) {
		free(k);
		free(v);
		d->oom = 1;
		return;
	}
	s->lines = nl;
	nl[s->n_lines].key = k;
	nl[s->n_lines].value = v;
	s->n_lines++;
}

void ini_set(struct ini_doc *d, struct ini_sect *s, const char *key,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put(d, s, key, 1, fmt, ap);
	va_end(ap);
}

void ini_add(struct ini_doc *d, struct ini_sect *s, const char *key,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put(d, s, key, 0, fmt, ap);
	va_end(ap);
}

void ini_comment(struct ini_doc *d, struct ini_sect *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put(d, s, NULL, 0, fmt, ap);
	va_end(ap);
}

const char *ini_get(const struct ini_sect *s, const char *key)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->n_lines; i++)
		if (s->lines[i].key && !strcmp(s->lines[i].key, key))
			return s->lines[i].value;
	return NULL;
}

int ini_write(const struct ini_doc *d, FILE *f)
{
	for (const struct ini_sect *s = d->head; s; s = s->next) {
		if (!s->n_lines && !strcmp(s->header, "global"))
			continue;
		fputc('\n', f);
		if (s->origin)
			fprintf(f, "; %s\n", s->origin);
		fprintf(f, "[%s]\n", s->header);
		for (size_t i = 0; i < s->n_lines; i++) {
			if (s->lines[i].key)
				fprintf(f, "%s = %s\n", s->lines[i].key,
					s->lines[i].value);
			else
				fprintf(f, "; %s\n", s->lines[i].value);
		}
	}
	return ferror(f) ? -EIO : 0;
}
