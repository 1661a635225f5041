/* outcome.c — names of check outcomes (see outcome.h). */
#include "outcome.h"

const char *outcome_str(enum lvsd_check_outcome o)
{
	switch (o) {
	case LVSD_CHECK_OK: return "ok";
	case LVSD_CHECK_CONNECT_REFUSED: return "connection refused";
	case LVSD_CHECK_CONNECT_TIMEOUT: return "connect timeout";
	case LVSD_CHECK_READ_TIMEOUT: return "read timeout";
	case LVSD_CHECK_CLOSED: return "closed early";
	case LVSD_CHECK_BAD_STATUS: return "bad status";
	case LVSD_CHECK_BAD_DIGEST: return "digest mismatch";
	case LVSD_CHECK_BAD_RESPONSE: return "bad response";
	case LVSD_CHECK_NETWORK: return "network error";
	case LVSD_CHECK_INTERNAL: return "internal error";
	}
	return "unknown";
}
