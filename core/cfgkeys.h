/* cfgkeys.h — the keys of each section of lvsd.ini: giving a section's
 * entries to its key table, and what the checks ask about them.
 * Internal to the cfg module.
 */
#ifndef LVSD_CFGKEYS_H
#define LVSD_CFGKEYS_H

#include <stdbool.h>

#include "cfgstate.h"

/* Give each entry of the current section to its key's setter, which
 * stores the value in obj (the object being built; NULL: a section to
 * skip), and note which keys were given and refused. Reports unknown and
 * repeated keys. */
void cfg_keys_apply(struct parser *p, void *obj);
/* May `key` be given several times in a section of this kind? */
bool cfg_key_repeatable(enum sect_kind kind, const char *key);
/* Does key (of a section of kind) hold a command line (notify_up, quorum_up,
 * script, MISC_CHECK's misc_path, ...)? */
bool cfg_key_is_command(enum sect_kind kind, const char *key);

/* For the checks of the current section (keys by their canonical name):
 * the line where key was first given (0: not given); was it given with a
 * good value; the entry that set it (NULL: none). */
unsigned cfg_seen(const struct parser *p, const char *key);
bool cfg_good(const struct parser *p, const char *key);
const struct entry *cfg_entry_of(const struct parser *p, const char *key);

#endif
