/*
** esc_test_util.h — ESC-50 (../shared/data/esc50-clap) loaded for the
** zero-shot tests: the 2000 clips, the 50 class prompts, each clip's class
** (its class_name's line in class_names.txt) and its official fold.
*/
#ifndef GAPKIT_ESC_TEST_UTIL_H
#define GAPKIT_ESC_TEST_UTIL_H

#include "test_util.h"

typedef struct esc {
    gk_mat *audio, *prompts; /* (2000,512), (50,512) */
    gk_labels *items, *names;
    int32_t *y;              /* (2000,) class of each clip */
    char **fold;             /* (2000,) meta.csv's fold column, "1".."5" */
    int64_t n_fold;
} esc;

static inline void esc_load(esc *e)
{
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path("esc50-clap/audio.npy"), &o, &e->audio));
    assert_gk_ok(gk_load_matrix(shared_path("esc50-clap/class_text.npy"), &o, &e->prompts));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &e->items));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &e->names));
    assert_gk_ok(gk_csv_column(shared_path("esc50-clap/meta.csv"), "fold", &e->fold, &e->n_fold));
    assert_int_equal(e->n_fold, 2000);
    e->y = malloc(2000 * sizeof *e->y);
    assert_gk_ok(gk_zeroshot_classes(e->items, e->names, e->y));
}

static inline void esc_free(esc *e)
{
    gk_mat_free(e->audio);
    gk_mat_free(e->prompts);
    gk_labels_free(e->items);
    gk_labels_free(e->names);
    gk_strings_free(e->fold, e->n_fold);
    free(e->y);
}

#endif
