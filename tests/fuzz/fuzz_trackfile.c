/* fuzz_trackfile.c — libFuzzer target for what a [vrrp_track_file] reads
 * (core/trackfile.c, applied by core/vtrack.c): any bytes either parse to
 * a number that prints back to itself or are refused (counting as 0);
 * and a tracker reading those bytes from a real file gives an instance a
 * priority delta within -254..254, FAULT exactly when keepalived's rule
 * says so (weight 0: non-zero; else value x weight < -253). The weight
 * comes from the first two bytes. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "model.h"
#include "schema.h"
#include "trackfile.h"
#include "vtrack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_tracker t;
	struct model_track_ref ref = { .kind = MODEL_TRACK_FILE, .name = "f" };
	struct model_vrrp v = { .track = &ref, .n_track = 1 };
	struct model m = { .trackers = &t, .n_trackers = 1, .vrrp = &v, .n_vrrp = 1 };
	struct loop *loop = NULL;
	struct vtrack *vt = NULL;
	int64_t x, y, prod;
	int32_t delta, w = 0;
	int fault, fd, ok;
	char why[160], buf[32];

	if (size >= 2)
		w = (int32_t)((data[0] | data[1] << 8) % 509) - 254; /* -254..254 */
	ok = trackfile_parse_number((const char *)data, size, &x) == 0;
	if (ok) {
		snprintf(buf, sizeof(buf), "%lld", (long long)x);
		if (trackfile_parse_number(buf, strlen(buf), &y) < 0 || y != x)
			abort();
	} else if (x != 0) {
		abort();
	}

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz_trackfile.%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	schema_tracker_init(&t, MODEL_TRACK_FILE);
	snprintf(t.name, sizeof(t.name), "f");
	t.file = path;
	t.weight = w;
	if (loop_new(&loop) < 0 || vtrack_new(loop, NULL, NULL, NULL, &vt) < 0)
		abort();
	vtrack_apply(vt, &m);
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	if (delta < -254 || delta > 254 || strlen(why) >= sizeof(why))
		abort();
	/* the file holds at most 64 bytes that count: longer is "not a number" */
	if (size > 64)
		ok = 0;
	prod = ok ? x * (int64_t)w : 0;
	if (ok && w && x && (x > INT64_MAX / 254 || x < -(INT64_MAX / 254)))
		return vtrack_free(vt), loop_free(loop), 0; /* product overflows: not checked */
	if (fault != ((w == 0 && ok && x != 0) || (w != 0 && prod < -253)))
		abort();
	if (!fault && delta != (prod > 254 ? 254 : (int32_t)prod))
		abort();
	vtrack_free(vt);
	loop_free(loop);
	return 0;
}
