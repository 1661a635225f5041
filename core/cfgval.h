/* cfgval.h — parsers of single configuration values (numbers, durations,
 * booleans, addresses, command lines) used by cfg.c. Pure functions: they
 * return 0 or -EINVAL (-ENOMEM where they allocate) and never log; the
 * caller adds the key, the file and the line.
 */
#ifndef LVSD_CFGVAL_H
#define LVSD_CFGVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* yes/no/true/false/on/off/1/0, any case. */
int cfgval_bool(const char *s, bool *out);
/* A decimal integer in [min, max]; no sign, no junk. */
int cfgval_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
/* A duration in milliseconds: "3" = 3 s, "0.5" = 500 ms, with an optional
 * suffix "ms", "s", "m" or "h" ("250ms", "1.5m", "1h"). Must be a whole number of
 * milliseconds and at most max_ms. */
int cfgval_duration_ms(const char *s, uint32_t max_ms, uint32_t *out);
/* An IPv4 or IPv6 address, the latter optionally in brackets. */
int cfgval_addr(const char *s, struct lvsd_addr *out);
/* ADDR:PORT, [IPV6]:PORT; with port_optional also ADDR, [IPV6] and a bare
 * IPV6. *has_port says whether a port was written; the port is 1..65535. */
int cfgval_addrport(const char *s, bool port_optional, struct lvsd_addr *addr,
		    uint16_t *port, bool *has_port);
/* ADDR[/PREFIX]; *prefix is the family's full length if none is written. */
int cfgval_addr_prefix(const char *s, struct lvsd_addr *addr,
		       uint8_t *prefix);
/* A name for an object: [A-Za-z0-9_.-], 1..MODEL_NAME_MAX-1 chars. */
int cfgval_name(const char *s);
/* A network interface name: 1..15 chars, no '/', ':' or whitespace. */
int cfgval_ifname(const char *s);
/* Split a command line into argv: words separated by blanks, "double" and
 * 'single' quotes group (a backslash escapes the next char outside single
 * quotes); no shell. An empty command, an empty quote ("") or an
 * unterminated quote is an error, explained in err. Appends to *out. */
int cfgval_argv(const char *s, struct model_strv *out, char *err,
		size_t errlen);
/* Split a list on blanks and commas, appending each word to *out. */
int cfgval_words(const char *s, struct model_strv *out);

#endif
