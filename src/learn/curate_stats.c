/*
** curate_stats.c — the domain step of curation (each text's nearest target
** prompt, the filter) and what is reported about the kept pairs: pool
** coverage, the score histogram, pairs per target class and, with audio
** labels, how often a pair's caption is nearest to the audio's own class.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "curate_internal.h"
#include "gapkit/knn.h"
#include "linalg/linalg_internal.h"

int curate_gather(const gk_mat *T, const uint8_t *pass, gk_mat **out, int64_t **map)
{
    int64_t m = 0;
    for (int64_t i = 0; i < T->rows; i++) m += pass[i] != 0;
    *out = NULL;
    *map = gk_malloc((size_t)(m ? m : 1) * sizeof **map);
    if (!*map || gk_mat_create(m, T->cols, out) != GK_OK) {
        gk_free(*map);
        *map = NULL;
        return gk_set_error(GK_ENOMEM, "curate: out of memory for %lld domain texts",
                            (long long)m);
    }
    for (int64_t i = 0, r = 0; i < T->rows; i++) {
        if (!pass[i]) continue;
        for (int64_t d = 0; d < T->cols; d++) gk_mat_row(*out, r)[d] = gk_mat_at(T, i, d);
        (*map)[r++] = i;
    }
    return GK_OK;
}

static int nearest_prompt(const gk_mat *T, const gk_curate_opts *o, gk_curate_result *r)
{
    const int64_t M = T->rows;
    int64_t *ids = gk_malloc((size_t)M * sizeof *ids);
    gk_knn *idx = NULL;
    r->text_class = gk_malloc((size_t)M * sizeof *r->text_class);
    r->text_target_cos = gk_malloc((size_t)M * sizeof *r->text_target_cos);
    int rc = ids && r->text_class && r->text_target_cos ? GK_OK : GK_ENOMEM;
    if (rc == GK_OK) rc = gk_knn_create(o->targets, GK_DIST_COSINE, &idx);
    if (rc == GK_OK) rc = gk_knn_query(idx, T, 1, ids, NULL);
    for (int64_t i = 0; rc == GK_OK && i < M; i++) {
        r->text_class[i] = o->target_class[ids[i]];
        r->text_target_cos[i] = gk_row_cos(T, i, o->targets, ids[i]);
    }
    gk_knn_free(idx);
    gk_free(ids);
    return rc == GK_ENOMEM ? gk_set_error(rc, "curate: out of memory for the target step") : rc;
}

int curate_domain(const gk_mat *T, const gk_curate_opts *o, gk_curate_result *r, uint8_t **pass)
{
    *pass = NULL;
    r->n_target_classes = o->n_target_classes;
    GK_TRY(nearest_prompt(T, o, r));
    if (isnan(o->tau_target)) return GK_OK;
    *pass = gk_malloc((size_t)T->rows);
    GK_FAIL_IF(!*pass, GK_ENOMEM, "curate: out of memory for the domain filter");
    r->n_text_passed = 0;
    for (int64_t i = 0; i < T->rows; i++) {
        (*pass)[i] = r->text_target_cos[i] >= o->tau_target;
        r->n_text_passed += (*pass)[i];
    }
    return GK_OK;
}

/* Rows of a pool (n) that appear in rows (P,). */
static int covered(const int64_t *rows, int64_t P, int64_t n, int64_t *count)
{
    uint8_t *seen = gk_calloc((size_t)n, 1);
    GK_FAIL_IF(!seen, GK_ENOMEM, "curate: out of memory for coverage");
    *count = 0;
    for (int64_t i = 0; i < P; i++) {
        *count += !seen[rows[i]];
        seen[rows[i]] = 1;
    }
    gk_free(seen);
    return GK_OK;
}

static void histogram(gk_curate_result *r)
{
    memset(r->hist, 0, sizeof r->hist);
    for (int64_t i = 0; i < r->n_pairs; i++) {
        int b = (int)floor((r->score[i] + 1) / 2 * GK_CURATE_BINS);
        r->hist[b < 0 ? 0 : b >= GK_CURATE_BINS ? GK_CURATE_BINS - 1 : b]++;
    }
}

int curate_stats(const gk_curate_opts *o, gk_curate_result *r)
{
    GK_TRY(covered(r->audio, r->n_pairs, r->n_audio, &r->audio_covered));
    GK_TRY(covered(r->text, r->n_pairs, r->n_text, &r->text_covered));
    histogram(r);
    if (!r->text_class) return GK_OK;
    r->class_pairs = gk_calloc((size_t)r->n_target_classes, sizeof *r->class_pairs);
    GK_FAIL_IF(!r->class_pairs, GK_ENOMEM, "curate: out of memory");
    for (int64_t i = 0; i < r->n_pairs; i++) {
        const int32_t c = r->text_class[r->text[i]];
        r->class_pairs[c]++;
        const int32_t y = o->audio_class ? o->audio_class[r->audio[i]] : -1;
        if (y < 0) continue;
        r->n_labelled++;
        r->n_label_match += y == c;
    }
    return GK_OK;
}
