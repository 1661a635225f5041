/* test_vrrplive.c — what a VRRP engine gets (core/vrrplive.c): a deep
 * copy of the [vrrp] section (nothing shared with the model, which a
 * reload frees) and the ABI view pointing into it; and out of memory at
 * any allocation of the copy: -ENOMEM, the copy empty, the source
 * untouched (the copy used to free the source's programs it had not yet
 * copied). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schema.h"
#include "vrrplive.h"

/* ------------------------------------------- allocation failure (plain
 * builds only: under ASan its allocator is the one that must answer) */
#if defined(__SANITIZE_ADDRESS__)
#define CAN_FAIL_ALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAN_FAIL_ALLOC 0
#endif
#endif
#ifndef CAN_FAIL_ALLOC
#define CAN_FAIL_ALLOC 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static int fail_in; /* > 0: the fail_in-th allocation from now fails */

static int failing(void)
{
	return fail_in > 0 && --fail_in == 0;
}

void *malloc(size_t n)
{
	return failing() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	return failing() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	return failing() ? NULL : __libc_realloc(p, n);
}
#endif

static void fill(struct model_vrrp *v, struct lvsd_vip *vips,
		 struct lvsd_addr *peers, struct model_track_ref *tr)
{
	memset(v, 0, sizeof(*v));
	strcpy(v->name, "vi1");
	strcpy(v->interface, "eth0");
	strcpy(v->sync_group, "g");
	v->vrid = 51;
	v->priority = 150;
	v->version = 3;
	v->family = AF_INET;
	v->advert_int_cs = 100;
	memset(vips, 0, sizeof(*vips));
	vips->addr.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &vips->addr.u.v4);
	v->vips = vips;
	v->n_vips = 1;
	memset(peers, 0, sizeof(*peers));
	peers->family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &peers->u.v4);
	v->unicast_peers = peers;
	v->n_unicast_peers = 1;
	memset(tr, 0, sizeof(*tr));
	tr->kind = MODEL_TRACK_SCRIPT;
	strcpy(tr->name, "chk");
	v->track = tr;
	v->n_track = 1;
	model_strv_push(&v->track_interface, "eth1");
	model_strv_push(&v->notify_master, "/bin/m");
	model_strv_push(&v->notify_backup, "/bin/b");
	model_strv_push(&v->notify_fault, "/bin/f");
	model_strv_push(&v->notify, "/bin/n");
	model_strv_push(&v->notify_stop, "/bin/s");
	model_strv_push(&v->notify_stop, "now");
}

/* The strv fields of v, to walk them. */
static const struct model_strv *strv_at(const struct model_vrrp *v, int i)
{
	const struct model_strv *all[] = {
		&v->track_interface, &v->notify_master, &v->notify_backup,
		&v->notify_fault, &v->notify, &v->notify_stop,
	};

	return i < 6 ? all[i] : NULL;
}

static void test_deep_copy_and_view(void **st)
{
	struct model_vrrp v;
	struct lvsd_vip vip;
	struct lvsd_addr peer;
	struct model_track_ref tr;
	struct vrrp_live *l;

	(void)st;
	fill(&v, &vip, &peer, &tr);
	l = vrrplive_new(&v, 7);
	assert_non_null(l);
	/* nothing shared */
	assert_ptr_not_equal(l->cfg.vips, v.vips);
	assert_ptr_not_equal(l->cfg.unicast_peers, v.unicast_peers);
	assert_ptr_not_equal(l->cfg.track, v.track);
	for (int i = 0; strv_at(&v, i); i++) {
		const struct model_strv *a = strv_at(&v, i), *b = strv_at(&l->cfg, i);

		assert_true(model_strv_eq(a, b));
		assert_ptr_not_equal(a->v, b->v);
		assert_ptr_not_equal(a->v[0], b->v[0]);
	}
	/* the ABI view points into the copy */
	assert_ptr_equal(l->pc.name, l->cfg.name);
	assert_ptr_equal(l->pc.vips, l->cfg.vips);
	assert_ptr_equal(l->pc.unicast_peers, l->cfg.unicast_peers);
	assert_ptr_equal(l->pc.notify_master, (const char *const *)l->cfg.notify_master.v);
	assert_string_equal(l->pc.sync_group, "g");
	assert_null(l->pc.auth_pass);
	assert_int_equal(l->pc.vrid, 51);
	assert_int_equal(l->pc.priority, 150);
	assert_int_equal(l->pc.rt_priority, 7);
	assert_int_equal(l->pc.n_track_ifaces, 1);
	assert_int_equal(l->pc.size, sizeof(l->pc));
	vrrplive_free(l);
	vrrplive_free(NULL);
	v.vips = NULL; /* on the stack */
	v.unicast_peers = NULL;
	v.track = NULL;
	schema_clear(SCHEMA_VRRP, &v);
}

/* Fail each allocation of the copy in turn. */
static void test_out_of_memory(void **st)
{
#if CAN_FAIL_ALLOC
	struct model_vrrp v, d;
	struct lvsd_vip vip;
	struct lvsd_addr peer;
	struct model_track_ref tr;
	int k;

	(void)st;
	fill(&v, &vip, &peer, &tr);
	v.vips = malloc(sizeof(vip)); /* model_vrrp_clear frees these */
	memcpy(v.vips, &vip, sizeof(vip));
	v.unicast_peers = malloc(sizeof(peer));
	memcpy(v.unicast_peers, &peer, sizeof(peer));
	v.track = malloc(sizeof(tr));
	memcpy(v.track, &tr, sizeof(tr));
	for (k = 1;; k++) {
		int r;

		fail_in = k;
		r = vrrplive_copy(&d, &v);
		if (fail_in > 0) { /* fewer than k allocations: it succeeded */
			fail_in = 0;
			assert_int_equal(r, 0);
			schema_clear(SCHEMA_VRRP, &d);
			break;
		}
		assert_int_equal(r, -ENOMEM);
		assert_null(d.vips);
		assert_int_equal(d.notify_stop.n, 0);
		/* the source is whole (a freed string would differ or crash) */
		assert_string_equal(v.notify_stop.v[0], "/bin/s");
		assert_string_equal(v.notify_stop.v[1], "now");
		assert_string_equal(v.notify_fault.v[0], "/bin/f");
		assert_string_equal(v.track_interface.v[0], "eth1");
	}
	assert_true(k > 9); /* 3 arrays and 7 strings at least */
	schema_clear(SCHEMA_VRRP, &v);
#else
	(void)st;
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_copy_and_view),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
