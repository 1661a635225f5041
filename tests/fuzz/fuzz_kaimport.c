/* fuzz_kaimport.c — libFuzzer target for lvsd-import's reading of
 * keepalived.conf (tools/import/kaparse.c) and its translation
 * (kaemit.c, kalvs.c, inidoc.c): any bytes either fail with an error or
 * give an lvsd.ini made only of blank, comment, [section] and
 * "key = value" lines with no control character, the same on a second
 * run (deterministic). Includes are not followed (no file access). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/import/inidoc.c"
#include "../../tools/import/kaemit.c"
#include "../../tools/import/kalvs.c"
#include "../../tools/import/kaparse.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *convert(const uint8_t *data, size_t size, size_t *len)
{
	struct ka_report rep = {0};
	struct ka_tree t;
	struct ini_doc d;
	char *out = NULL;
	FILE *f;

	rep.err = fopen("/dev/null", "w");
	if (ka_parse_mem("fuzz.conf", (const char *)data, size, 0, &t,
			 &rep) < 0) {
		ka_report_flush(&rep, NULL, 0);
		fclose(rep.err);
		return NULL;
	}
	ini_init(&d);
	if (ka_emit(&t, &d, &rep) == 0) {
		f = open_memstream(&out, len);
		if (f) {
			ini_write(&d, f);
			fclose(f);
		}
	}
	ka_report_flush(&rep, t.files, t.n_files);
	ka_tree_free(&t);
	ini_free(&d);
	fclose(rep.err);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0, len2 = 0;
	char *out = convert(data, size, &len), *again, *line;

	if (!out)
		return 0;
	for (line = out; line < out + len;) {
		char *nl = memchr(line, '\n', (size_t)(out + len - line));

		if (!nl)
			abort(); /* every line ends */
		for (char *p = line; p < nl; p++)
			if (((unsigned char)*p < 0x20 && *p != '\t') ||
			    *p == 0x7f)
				abort();
		if (nl > line && *line != ';' &&
		    !(*line == '[' && nl[-1] == ']') &&
		    !memmem(line, (size_t)(nl - line), " = ", 3))
			abort();
		line = nl + 1;
	}
	again = convert(data, size, &len2);
	if (!again || len != len2 || memcmp(out, again, len))
		abort();
	free(out);
	free(again);
	return 0;
}
