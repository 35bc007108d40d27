/*
** demo_json.c — the demo's findings as one JSON document (`gapkit demo
** --json`), its parts written by the writers of each result.
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/analyze.h"

/* A document of another writer as a JSON value (null if it could not be read). */
static json_t *embed(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

/* The axes recovered, one object per true shared axis. */
static json_t *recovery_json(const gk_demo_result *d)
{
    const gk_synth_recovery *rc = d->recovery;
    json_t *axes = json_array();
    for (int64_t j = 0; axes && j < rc->k_true; j++)
        json_array_append_new(axes, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "axis",
                                              (json_int_t)j + 1, "rho_true",
                                              gk_json_num(d->synth->corr[j]), "corr_found",
                                              gk_json_num(rc->corr_model[j]), "cos_text",
                                              gk_json_num(rc->cos_t[j]), "cos_audio",
                                              gk_json_num(rc->cos_a[j]), "in_subspace",
                                              gk_json_num(rc->subspace[j])));
    return axes;
}

int gk_demo_to_json(const gk_demo_result *d, char **json)
{
    GK_FAIL_IF(!d || !json, GK_EARG, "demo json: NULL argument");
    *json = NULL;
    char *gap = NULL, *raw = NULL, *com = NULL;
    const gk_synth_opts *so = &d->opts.synth;
    int rc = gk_gap_to_json(d->gap, &gap);
    if (rc == GK_OK) rc = gk_retrieval_to_json(&d->raw, "text", "audio", &raw);
    if (rc == GK_OK) rc = gk_retrieval_to_json(&d->comet, "text", "audio", &com);
    json_t *doc = rc != GK_OK ? NULL : json_pack(
        "{s:{s:I, s:I, s:I, s:I}, s:o, s:{s:i, s:f, s:I}, s:o, s:o, s:o}", "generator", "n",
        (json_int_t)so->n, "d", (json_int_t)so->d, "k_shared", (json_int_t)so->k_shared,
        "seed", (json_int_t)so->seed, "gap", embed(gap), "permutation_test",
        "permutations", d->opts.n_perm, "alpha", 0.05, "shared_axes",
        (json_int_t)d->shared.n_shared, "recovery", recovery_json(d), "retrieval_raw",
        embed(raw), "retrieval_comet", embed(com));
    gk_free(gap), gk_free(raw), gk_free(com);
    GK_TRY(rc);
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "demo json", json);
}
