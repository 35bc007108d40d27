/*
** curate_json.c — the outputs of curation: the (P,3) pairs file and the JSON
** account of what was kept.
*/
#include <jansson.h>
#include <math.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/io.h"
#include "curate_internal.h"

int gk_curate_write(const gk_curate_result *r, const char *path)
{
    GK_FAIL_IF(!r || !path, GK_EARG, "curate write: NULL argument");
    double *d = gk_malloc((size_t)(r->n_pairs ? r->n_pairs : 1) * 3 * sizeof *d);
    GK_FAIL_IF(!d, GK_ENOMEM, "curate write: out of memory for %lld pairs",
               (long long)r->n_pairs);
    for (int64_t i = 0; i < r->n_pairs; i++) {
        d[3 * i] = (double)r->audio[i];
        d[3 * i + 1] = (double)r->text[i];
        d[3 * i + 2] = r->score[i];
    }
    const int rc = gk_npy_write_f64(path, d, r->n_pairs, 3);
    gk_free(d);
    return rc;
}

static const char *mode_name(gk_curate_mode m)
{
    return m == GK_CURATE_TOPK ? "topk" : m == GK_CURATE_MUTUAL ? "mutual" : "threshold";
}

static json_t *share(int64_t a, int64_t b)
{
    return b > 0 ? json_real((double)a / (double)b) : json_null();
}

static json_t *histogram_json(const gk_curate_result *r)
{
    json_t *c = json_array();
    for (int b = 0; c && b < GK_CURATE_BINS; b++) json_array_append_new(c, json_integer(r->hist[b]));
    return json_pack("{s:f,s:f,s:o*}", "lo", -1.0, "width", 2.0 / GK_CURATE_BINS, "counts", c);
}

static json_t *domain_json(const gk_curate_result *r, const gk_curate_opts *o,
                           const char *const *names)
{
    if (!r->class_pairs) return json_null();
    json_t *per = json_array();
    for (int32_t c = 0; per && c < r->n_target_classes; c++) {
        json_t *e = names ? json_pack("{s:s,s:I}", "class", names[c], "pairs",
                                      (json_int_t)r->class_pairs[c])
                          : json_pack("{s:i,s:I}", "class", (int)c, "pairs",
                                      (json_int_t)r->class_pairs[c]);
        json_array_append_new(per, e);
    }
    return json_pack("{s:o,s:b,s:I,s:o*}", "tau_target",
                     isnan(o->tau_target) ? json_null() : json_real(o->tau_target), "augment",
                     o->augment, "texts_passed", (json_int_t)r->n_text_passed,
                     "pairs_per_class", per);
}

static json_t *labels_json(const gk_curate_result *r, const gk_curate_opts *o)
{
    if (!o->audio_class || !r->class_pairs) return json_null();
    return json_pack("{s:I,s:I,s:o}", "n_labelled", (json_int_t)r->n_labelled, "n_match",
                     (json_int_t)r->n_label_match, "match", share(r->n_label_match, r->n_labelled));
}

int gk_curate_to_json(const gk_curate_result *r, const gk_curate_opts *o,
                      const char *const *class_names, char **json)
{
    GK_FAIL_IF(!r || !o || !json, GK_EARG, "curate json: NULL argument");
    *json = NULL;
    json_t *doc = json_pack(
        "{s:s,s:f,s:o,s:I,s:I,s:I,s:{s:I,s:I,s:o,s:o},s:o*,s:o*,s:o*}", "mode",
        mode_name(o->mode), "tau", o->tau,
        "k", o->mode == GK_CURATE_THRESHOLD ? json_null() : json_integer(o->k), "n_audio",
        (json_int_t)r->n_audio, "n_text", (json_int_t)r->n_text, "n_pairs",
        (json_int_t)r->n_pairs, "coverage", "audio_rows", (json_int_t)r->audio_covered,
        "text_rows", (json_int_t)r->text_covered, "audio", share(r->audio_covered, r->n_audio),
        "text", share(r->text_covered, r->n_text), "histogram", histogram_json(r), "domain",
        domain_json(r, o, class_names), "labels", labels_json(r, o));
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "curate json", json);
}
