/* opstate.h — the operator layer that outlives a reload and a restart:
 * per real server an operator weight and an admin state (set by lvsctl or
 * SNMP), and the virtual services lvsd owns in the kernel. Kept in a text
 * file (global state_file, read and written by opfile.c): written whole
 * and atomically, then each change appended as a journal line until the
 * file is written whole again (opstore.c decides when). Entries
 * are found through a hash index: O(1) per lookup, O(n) per load or save. */
#ifndef LVSD_OPSTATE_H
#define LVSD_OPSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <lvsd/plugin.h>

#include "hidx.h"
#include "weight.h"

struct opstate_rs {
	char vs[64];
	struct lvsd_addr addr;
	uint16_t port;
	uint32_t cfg_weight;  /* the config weight when the operator acted */
	int has_weight;
	uint32_t weight;
	enum admin_state admin;
	/* Wall clock (seconds since the epoch) when the real server left the
	 * configuration: the entry is kept for operator_grace after it, so a
	 * restored file brings the server back with its overrides. 0: the
	 * server is configured. */
	int64_t gone;
};

/* A kernel service key: "TCP 192.168.0.30:80" or "FWM 42 inet". */
struct opstate_owned {
	int af;
	uint16_t protocol;
	struct lvsd_addr addr;
	uint16_t port;
	uint32_t fwmark;
};

/* A runtime object (lvsctl add-vs / add-rs): the section it stands for,
 * its keys as lvsd.ini's (validated by the configuration parser when
 * the model is built: runtime.c). */
enum opstate_rt_kind {
	OPSTATE_RT_VS = 1, /* [virtual_server NAME] */
	OPSTATE_RT_RS = 2, /* [real_server VS ADDR:PORT] */
};
#define OPSTATE_RT_KV_MAX 1024 /* bytes of kv, NUL included */
#define OPSTATE_RT_VERSION 1   /* of the runtime-* records */

struct opstate_rt {
	enum opstate_rt_kind kind;
	char vs[64];              /* VS: its name; RS: its virtual server */
	struct lvsd_addr addr;    /* RS only */
	uint16_t port;            /* RS only */
	/* "key=value key=value": keys of the section, one blank between,
	 * no blank inside a value; "" none */
	char kv[OPSTATE_RT_KV_MAX];
};

/* Zero-initialised = empty. rs is in file order until an entry is
 * removed (the last one takes its place); idx maps (vs, addr, port) to
 * positions in rs and is kept by the functions below: change rs[] only
 * through them (the fields other than the key are free). */
struct opstate {
	struct opstate_rs *rs;
	size_t n_rs, cap_rs;
	struct opstate_owned *owned;
	size_t n_owned, cap_owned;
	struct hidx idx;
	struct opstate_rt *rt;    /* in the order they were added */
	size_t n_rt, cap_rt;
};

void opstate_free(struct opstate *s);
/* A deep copy, O(n). 0 or -ENOMEM (dst then empty). */
int opstate_copy(struct opstate *dst, const struct opstate *src);
/* Parse len bytes of a state file (NUL bytes included: a line holding one
 * is damaged). Records: "rs" (a key at most once), then journal lines
 * appended since the file was last written whole: "set" (the entry added
 * or replaced) and "del" (removed), each valid only with its newline.
 * Runtime objects: "runtime-vs 1 NAME KEY=VALUE..." and "runtime-rs 1 VS
 * ADDR:PORT KEY=VALUE..." (added, or replaced in place), "runtime-del 1
 * vs NAME" and "runtime-del 1 rs VS ADDR:PORT" (removed); the "1" is the
 * record's version (another: damaged); each valid only with its newline;
 * names as lvsd.ini's, keys [a-z0-9_]+, values without blanks or control
 * characters, kv shorter than OPSTATE_RT_KV_MAX.
 * Lines it cannot read are reported to warn (with their
 * number, from 1) and skipped: a damaged file loses those lines only.
 * Returns the number of damaged lines (>= 0) or -ENOMEM (out empty).
 * O(len). Outside input: fuzzed (tests/fuzz/fuzz_state.c). */
int opstate_parse(const char *text, size_t len, struct opstate *out,
		  void (*warn)(void *arg, unsigned line, const char *why),
		  void *arg);
/* opstate_parse without the copy: text is malloc'd, len + 1 bytes with
 * text[len] == '\0'; it is changed and freed here, whatever the result
 * (opfile_load reads a file of up to 256 MiB: one buffer, not two).
 * Returns what opstate_parse returns. */
int opstate_parse_take(char *text, size_t len, struct opstate *out,
		       void (*warn)(void *arg, unsigned line, const char *why),
		       void *arg);
/* Write the records of s to f (the state file's format). 0 or -EIO. */
int opstate_format(const struct opstate *s, FILE *f);
/* The longest line opstate_format_rs writes, its newline included. */
#define OPSTATE_LINE_MAX 256
/* One line for r into buf (OPSTATE_LINE_MAX bytes at least), newline
 * included, not NUL-terminated: record "rs", "set" or "del" (the key
 * only). Returns its length. */
size_t opstate_format_rs(const struct opstate_rs *r, const char *record,
			 char *buf);

/* One runtime record (runtime-vs / runtime-rs, or with del runtime-del)
 * for r into a malloc'd line, newline included; NULL if out of memory. */
char *opstate_format_rt(const struct opstate_rt *r, int del);
/* Check a runtime object's words as the loader does: NULL when fine,
 * else why not (a static string). */
const char *opstate_rt_check(const struct opstate_rt *r);
/* The runtime object of that kind and key (addr NULL for a VS), or NULL;
 * O(n) (they are few). */
struct opstate_rt *opstate_find_rt(const struct opstate *s,
				   enum opstate_rt_kind kind, const char *vs,
				   const struct lvsd_addr *addr, uint16_t port);
/* Add r at the end, or replace the one of the same key in place. 0 or
 * -ENOMEM. */
int opstate_put_rt(struct opstate *s, const struct opstate_rt *r);
/* Remove the one of r's key (order kept); 1 removed, 0 none. */
int opstate_del_rt(struct opstate *s, const struct opstate_rt *r);

/* O(1). NULL: none. */
struct opstate_rs *opstate_find_rs(const struct opstate *s, const char *vs,
				   const struct lvsd_addr *addr, uint16_t port);
/* Find or add (zeroed, identity set), O(1) amortised. NULL if out of
 * memory or vs is too long. Pointers into rs stay valid until the next
 * get, del or retain. */
struct opstate_rs *opstate_get_rs(struct opstate *s, const char *vs,
				  const struct lvsd_addr *addr, uint16_t port);
/* Room for n entries without a realloc or a rehash. 0 or -ENOMEM. */
int opstate_reserve(struct opstate *s, size_t n);
/* Remove one entry, O(1): the last entry takes its place. */
void opstate_del_rs(struct opstate *s, struct opstate_rs *rs);
/* Keep the entries keep() returns non-zero for (it may change their
 * non-key fields), in order; O(n). Returns how many were removed. */
size_t opstate_retain(struct opstate *s,
		      int (*keep)(void *arg, struct opstate_rs *rs), void *arg);
/* Replace the owned list. 0 or -ENOMEM. */
int opstate_set_owned(struct opstate *s, const struct opstate_owned *v,
		      size_t n);

/* "10.0.0.51:80", "[2001:db8::1]:80" → addr, port. 0 or -EINVAL. */
int opstate_parse_addrport(const char *s, struct lvsd_addr *addr,
			   uint16_t *port);

#endif
