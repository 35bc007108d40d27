/*
** test_json_alloc.c — one ownership rule for JSON text: every writer of the
** API (*_to_json, gk_inspect_json) returns memory that came from the
** installed allocator and is released with gk_free().  A tracking allocator
** records the live blocks; a writer that handed out jansson's malloc text
** would return a pointer the tracker never saw.
*/
#include "test_util.h"

/*====  a tracking allocator: an open-addressing set of live blocks  ====*/

#define LIVE_CAP (1 << 20)
static void *live[LIVE_CAP];

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 6) * 0x9E3779B97F4A7C15ull >> 44) & (LIVE_CAP - 1);
}

static void *track_alloc(void *ud, size_t size)
{
    (void)ud;
    void *p = NULL;
    if (posix_memalign(&p, 64, size ? size : 1) != 0) return NULL;
    size_t s = slot_of(p);
    while (live[s] && live[s] != (void *)1) s = (s + 1) & (LIVE_CAP - 1);
    live[s] = p;
    return p;
}

static size_t find_live(const void *p)
{
    for (size_t s = slot_of(p), n = 0; live[s] && n < LIVE_CAP; s = (s + 1) & (LIVE_CAP - 1), n++)
        if (live[s] == p) return s;
    return SIZE_MAX;
}

static void track_free(void *ud, void *p)
{
    (void)ud;
    const size_t s = find_live(p);
    if (s == SIZE_MAX) fail_msg("gk_free() of a block the allocator did not make");
    live[s] = (void *)1; /* a tombstone keeps later probes going */
    free(p);
}

/* The writer's text came from the allocator: check it and release it. */
static void assert_owned_text(const char *what, char *json)
{
    assert_non_null(json);
    if (find_live(json) == SIZE_MAX) fail_msg("%s: text not from the gapkit allocator", what);
    assert_true(json[0] == '{' || json[0] == '[');
    gk_free(json);
}

static int install(void **state)
{
    (void)state;
    memset(live, 0, sizeof live);
    static const gk_allocator a = {track_alloc, track_free, NULL};
    gk_set_allocator(&a);
    return 0;
}

/*====  every writer  ====*/

static gk_synth *small_data(void)
{
    gk_synth_opts o = gk_synth_opts_default();
    o.n = 300, o.d = 32, o.k_shared = 4, o.n_private = 2, o.n_classes = 5;
    gk_synth *s = NULL;
    assert_gk_ok(gk_synth_generate(&o, &s));
    return s;
}

static void test_geometry_writers(void **state)
{
    (void)state;
    gk_synth *s = small_data();
    char *json = NULL;
    gk_gap_result *g = NULL;
    assert_gk_ok(gk_gap_diagnose(s->text, s->audio, NULL, &g));
    assert_gk_ok(gk_gap_to_json(g, &json));
    assert_owned_text("gk_gap_to_json", json);
    const gk_gap_result *gs[1] = {g}; /* the one pair of two views */
    assert_gk_ok(gk_gap_views_to_json(gs, 2, NULL, &json));
    assert_owned_text("gk_gap_views_to_json", json);
    gk_gap_result_free(g);

    gk_comet *m = NULL;
    assert_gk_ok(gk_comet_fit(s->text, s->audio, 4, &m));
    assert_gk_ok(gk_comet_to_json(m, NULL, 0, &json));
    assert_owned_text("gk_comet_to_json", json);
    gk_comet_free(m);

    /* a fit with k = shared: the choice's p-values are the library's too */
    gk_align_opts ko = gk_align_opts_default(GK_ALIGN_COMET);
    ko.k = 0, ko.k_rule = GK_K_SHARED;
    const gk_mat *pair[2] = {s->text, s->audio};
    gk_align *fit = NULL;
    gk_k_choice how;
    assert_gk_ok(gk_transform_fit(&ko, pair, 2, NULL, 0, &fit, &how));
    assert_gk_ok(gk_comet_fit_to_json(gk_align_comet(fit), "shared", NULL, &how, 0, &json));
    assert_owned_text("gk_comet_fit_to_json", json);
    gk_k_choice_free(&how);
    gk_align_free(fit);

    gk_align_opts ao;
    assert_gk_ok(gk_align_parse("procrustes", &ao));
    const gk_mat *views[2] = {s->text, s->audio};
    gk_align *al = NULL;
    assert_gk_ok(gk_align_fit(&ao, views, 2, &al));
    assert_gk_ok(gk_align_to_json(al, &json));
    assert_owned_text("gk_align_to_json", json);
    gk_align_free(al);
    gk_synth_free(s);
}

static void test_similarity_writers(void **state)
{
    (void)state;
    gk_synth *s = small_data();
    char *json = NULL;
    gk_cka_result c;
    assert_gk_ok(gk_cka_linear(s->text, s->audio, &c));
    assert_gk_ok(gk_cka_to_json(&c, &json));
    assert_owned_text("gk_cka_to_json", json);
    gk_cka_result_free(&c);

    gk_nbr_result r[GK_NNGS_SWEEP_MAX];
    const gk_kspec k10 = {10, 0};
    assert_gk_ok(gk_nngs(s->text, s->audio, k10, GK_DIST_COSINE, &r[0]));
    assert_gk_ok(gk_nbr_to_json(&r[0], &json));
    assert_owned_text("gk_nbr_to_json", json);
    int n = 0;
    assert_gk_ok(gk_nngs_sweep(s->text, s->audio, NULL, 0, GK_DIST_COSINE, r, &n));
    assert_gk_ok(gk_nngs_sweep_to_json(r, n, &json));
    assert_owned_text("gk_nngs_sweep_to_json", json);
    gk_tas *t = NULL;
    assert_gk_ok(gk_nngs_spectrum(s->text, s->audio, GK_DIST_COSINE, &t));
    assert_gk_ok(gk_tas_to_json(t, &json));
    assert_owned_text("gk_tas_to_json", json);
    gk_tas_free(t);

    gk_knn *idx = NULL;
    float dist[300 * 5];
    int64_t ids[300 * 5];
    assert_gk_ok(gk_knn_create(s->text, GK_DIST_COSINE, &idx));
    assert_gk_ok(gk_knn_graph(idx, 5, ids, dist));
    assert_gk_ok(gk_knn_summary_to_json(idx, 300, 1, 5, dist, &json));
    assert_owned_text("gk_knn_summary_to_json", json);
    gk_knn_free(idx);
    gk_synth_free(s);
}

static void test_eval_writers(void **state)
{
    (void)state;
    gk_synth *s = small_data();
    char *json = NULL;
    gk_retrieval_opts ro = gk_retrieval_opts_default();
    gk_retrieval_result rr;
    assert_gk_ok(gk_retrieval_both(s->text, s->audio, NULL, NULL, &ro, &rr));
    assert_gk_ok(gk_retrieval_to_json(&rr, "x", "y", &json));
    assert_owned_text("gk_retrieval_to_json", json);

    gk_mat *prompts = NULL; /* one prompt per class: the first item of it */
    assert_gk_ok(gk_mat_create(5, s->audio->cols, &prompts));
    for (int c = 0; c < 5; c++)
        memcpy(gk_mat_row(prompts, c), gk_mat_row(s->audio, c), (size_t)s->audio->cols * 4);
    gk_zeroshot_result *z = NULL;
    assert_gk_ok(gk_zeroshot_eval(s->text, prompts, s->label, &z));
    assert_gk_ok(gk_zeroshot_to_json(z, NULL, 1, &json));
    assert_owned_text("gk_zeroshot_to_json", json);
    gk_zeroshot_result_free(z);

    gk_group_opts go = gk_group_opts_default();
    gk_group_result gr;
    assert_gk_ok(gk_group_eval(s->text, s->label, &go, &gr));
    assert_gk_ok(gk_group_to_json(&gr, &go, NULL, NULL, &json));
    assert_owned_text("gk_group_to_json", json);

    gk_split *sp = NULL;
    assert_gk_ok(gk_split_random(300, 0.5, 0, &sp));
    const gk_mat *views[2] = {s->text, s->audio};
    gk_compare_input in = {2, views, NULL, s->label, 5, NULL, prompts, 1};
    gk_compare_opts co = gk_compare_opts_default();
    co.split = sp;
    gk_align_opts methods[2];
    assert_gk_ok(gk_align_parse("identity", &methods[0]));
    assert_gk_ok(gk_align_parse("center", &methods[1]));
    gk_compare_result *cr = NULL;
    assert_gk_ok(gk_compare_run(&in, methods, 2, &co, &cr));
    assert_gk_ok(gk_compare_to_json(cr, &in, &json));
    assert_owned_text("gk_compare_to_json", json);
    gk_compare_result_free(cr);
    gk_split_free(sp);
    gk_mat_free(prompts);

    gk_analogy_result ar; /* no questions: the document still comes back */
    memset(&ar, 0, sizeof ar);
    assert_gk_ok(gk_analogy_to_json(&ar, &json));
    assert_owned_text("gk_analogy_to_json", json);
    gk_analogy_study st;
    memset(&st, 0, sizeof st);
    st.opts.k.k = 10;
    assert_gk_ok(gk_analogy_study_to_json(&st, &json));
    assert_owned_text("gk_analogy_study_to_json", json);
    gk_synth_free(s);
}

static void test_demo_writer(void **state)
{
    (void)state;
    gk_demo_opts o = gk_demo_opts_default();
    o.synth.n = 200, o.synth.d = 16, o.synth.k_shared = 2, o.synth.n_private = 2;
    o.n_perm = 19;
    gk_demo_result *d = NULL;
    char *json = NULL;
    assert_gk_ok(gk_demo_run(&o, &d));
    assert_gk_ok(gk_demo_to_json(d, &json));
    assert_owned_text("gk_demo_to_json", json);
    gk_demo_free(d);
}

static void test_io_writers(void **state)
{
    (void)state;
    gk_inspect r;
    char *json = NULL;
    assert_gk_ok(gk_inspect_file(shared_path("esc50-clap/class_text.npy"), &r));
    assert_gk_ok(gk_inspect_json(&r, 1, &json));
    assert_owned_text("gk_inspect_json", json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_geometry_writers, install, restore_allocator),
        cmocka_unit_test_setup_teardown(test_similarity_writers, install, restore_allocator),
        cmocka_unit_test_setup_teardown(test_eval_writers, install, restore_allocator),
        cmocka_unit_test_setup_teardown(test_demo_writer, install, restore_allocator),
        cmocka_unit_test_setup_teardown(test_io_writers, install, restore_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
