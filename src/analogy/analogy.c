/*
** analogy.c — answering word-analogy questions with 3CosAdd and 3CosMul
** (Levy & Goldberg 2014) over a whole vocabulary, in blocks of questions.
**
** Questions reuse their words heavily (the Google set has 58 632 a/b/c slots
** but 905 distinct words), so the covered questions are taken in order into
** blocks holding at most `cap` distinct a/b/c words; the unit vectors of
** those words are stacked into M (U,D) and the kNN engine (an inner-product
** index over the unit vocabulary, its GK_KNN_KEYS stream) gives every
** cosine they have with the vocabulary, negated: S = −M Ŵᵀ (U,V).  Each
** question of the block then reads its three rows of S, forms the two
** scores per word in double and keeps the best word other than a, b, c
** (ties: lower row) — an argmax the engine's top-k cannot give, since
** 3CosMul combines three similarities and each question excludes its own
** three words.  The engine's keys do not depend on the thread count, and
** questions are answered in parallel (OpenMP): every answer is the same for
** any thread count.
*/
#include <math.h>
#include <string.h>

#include "analogy_internal.h"
#include "core/error_internal.h"
#include "gapkit/knn.h"
#include "gapkit/linalg.h"

/* Similarities per block when opts->block_words is 0 (16 MB), but at least
** AUTO_MIN_WORDS rows per GEMM so that large vocabularies keep it efficient. */
#define AUTO_BLOCK_ELEMS ((int64_t)1 << 22)
#define AUTO_MIN_WORDS 64

gk_analogy_opts gk_analogy_opts_default(void) { return (gk_analogy_opts){0.001, 0}; }

/* Scoring of the covered questions. */
typedef struct an_job {
    const gk_mat *W;     /* (V,D) unit rows */
    const gk_knn *idx;   /* inner-product index over W */
    const int64_t *rows; /* (4n,) vocabulary rows of a, b, c, d */
    const int64_t *cov;  /* (ncov,) covered questions, in order */
    int64_t ncov, cap;   /* distinct words per block */
    double eps;
    int64_t *pred_add, *pred_mul; /* (n,) */
} an_job;

/* Scratch: the block's words and their cosines; slot of each vocabulary row. */
typedef struct an_work {
    int64_t *slot;  /* (V,) position of a row in the block, or −1 */
    int64_t *words; /* (cap,) rows of the block's words */
    int64_t *qs;    /* (3·ncov,) slots of a, b, c of each covered question */
    float *M;       /* (cap,D) */
} an_work;

#define CHUNK 64

/* Running argmax over chunks: the best value and its (first) index. */
typedef struct best_of {
    double v;
    int64_t at;
} best_of;

/* Folds chunk c (m,) starting at index j0 into b: a vectorised max, and a scan
** for the index only when the chunk beats the best so far (rarely, once the
** best is high); strict > keeps the lower index on ties. */
static void fold_chunk(best_of *b, const double *c, int64_t m, int64_t j0)
{
    /* four independent maxima: vectorisable without reassociating */
    double q[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    int64_t j = 0;
    for (; j + 4 <= m; j += 4)
        for (int l = 0; l < 4; l++) q[l] = c[j + l] > q[l] ? c[j + l] : q[l];
    for (; j < m; j++) q[0] = c[j] > q[0] ? c[j] : q[0];
    for (int l = 1; l < 4; l++) q[0] = q[l] > q[0] ? q[l] : q[0];
    const double cm = q[0];
    if (!(cm > b->v)) return;
    for (j = 0; c[j] != cm; j++) {}
    b->v = cm, b->at = j0 + j;
}

/* The best word for one question from its three rows of negated cosines
** (V,), chunk by chunk so that the scores stay in L1. */
static void answer(const float *sa, const float *sb, const float *sc, int64_t V,
                   const int64_t *abc, double eps, int64_t *pa, int64_t *pm)
{
    best_of ba = {-INFINITY, -1}, bm = {-INFINITY, -1};
    double add[CHUNK], mul[CHUNK];
    for (int64_t j0 = 0; j0 < V; j0 += CHUNK) {
        const int64_t m = V - j0 < CHUNK ? V - j0 : CHUNK;
#pragma omp simd
        for (int64_t j = 0; j < m; j++) {
            const double a = -sa[j0 + j], b = -sb[j0 + j], c = -sc[j0 + j];
            add[j] = b - a + c;                                         /* 3CosAdd */
            mul[j] = ((b + 1) / 2) * ((c + 1) / 2) / ((a + 1) / 2 + eps); /* 3CosMul */
        }
        for (int k = 0; k < 3; k++)
            if (abc[k] >= j0 && abc[k] < j0 + m) add[abc[k] - j0] = mul[abc[k] - j0] = -INFINITY;
        fold_chunk(&ba, add, m, j0);
        fold_chunk(&bm, mul, m, j0);
    }
    *pa = ba.at, *pm = bm.at;
}

/* Takes covered questions from i0 on while their new words fit in the
** block; @return : the end of the block (> i0); *nw = its distinct words. */
static int64_t fill_block(const an_job *jb, an_work *w, int64_t i0, int64_t *nw)
{
    int64_t i = i0, n = 0;
    for (; i < jb->ncov; i++) {
        const int64_t *r = jb->rows + 4 * jb->cov[i];
        const int64_t fresh = (w->slot[r[0]] < 0) + (w->slot[r[1]] < 0 && r[1] != r[0]) +
                              (w->slot[r[2]] < 0 && r[2] != r[0] && r[2] != r[1]);
        if (i > i0 && n + fresh > jb->cap) break;
        for (int k = 0; k < 3; k++) {
            if (w->slot[r[k]] < 0) w->words[n] = r[k], w->slot[r[k]] = n++;
            w->qs[3 * i + k] = w->slot[r[k]];
        }
    }
    *nw = n;
    return i;
}

/* Answers the covered questions [i0, i1) of a filled block. */
static int answer_block(const an_job *jb, an_work *w, int64_t i0, int64_t i1, int64_t nw)
{
    const int64_t D = jb->W->cols, V = jb->W->rows;
    for (int64_t k = 0; k < nw; k++)
        memcpy(w->M + k * D, gk_mat_row(jb->W, w->words[k]), (size_t)D * sizeof *w->M);
    gk_mat m = {w->M, nw, D, D, 1, NULL};
    gk_knn_stream *st;
    int64_t r0, nr, width;
    const float *S;
    GK_TRY(gk_knn_stream_open(jb->idx, &m, GK_KNN_KEYS, nw, &st));
    int rc = gk_knn_stream_next(st, &r0, &nr, &width, &S, NULL); /* all nw rows: one block */
#pragma omp parallel for schedule(dynamic, 16)
    for (int64_t i = i0; i < i1; i++) {
        if (rc != GK_OK) continue;
        const int64_t q = jb->cov[i], *sl = w->qs + 3 * i;
        answer(S + sl[0] * V, S + sl[1] * V, S + sl[2] * V, V, jb->rows + 4 * q, jb->eps,
               &jb->pred_add[q], &jb->pred_mul[q]);
    }
    gk_knn_stream_close(st);
    for (int64_t k = 0; k < nw; k++) w->slot[w->words[k]] = -1;
    return rc;
}

static int score_all(const an_job *jb)
{
    const int64_t V = jb->W->rows, D = jb->W->cols;
    an_work w;
    w.slot = gk_malloc((size_t)V * sizeof *w.slot);
    w.words = gk_malloc((size_t)jb->cap * sizeof *w.words);
    w.qs = gk_malloc((size_t)(3 * jb->ncov) * sizeof *w.qs);
    w.M = gk_malloc((size_t)jb->cap * (size_t)D * sizeof *w.M);
    int rc = w.slot && w.words && w.qs && w.M
                 ? GK_OK
                 : gk_set_error(GK_ENOMEM, "analogy: out of memory for %lld x %lld "
                                "similarities", (long long)jb->cap, (long long)V);
    for (int64_t j = 0; rc == GK_OK && j < V; j++) w.slot[j] = -1;
    for (int64_t i0 = 0, i1, nw; rc == GK_OK && i0 < jb->ncov; i0 = i1) {
        i1 = fill_block(jb, &w, i0, &nw);
        rc = answer_block(jb, &w, i0, i1, nw);
    }
    gk_free(w.slot), gk_free(w.words), gk_free(w.qs), gk_free(w.M);
    return rc;
}

/*====  set-up and totals  ====*/

/* A unit-row copy of the vectors; a zero row is reported with its word. */
static int unit_copy(const gk_mat *vectors, const gk_vocab *vocab, gk_mat **W)
{
    GK_TRY(gk_mat_clone(vectors, W));
    double *norms = gk_malloc((size_t)(*W)->rows * sizeof *norms);
    int rc = norms ? gk_mat_row_norms(*W, norms) : gk_set_error(GK_ENOMEM, "out of memory");
    for (int64_t i = 0; rc == GK_OK && i < (*W)->rows; i++)
        if (!(norms[i] > 0) || !isfinite(norms[i]))
            rc = gk_set_error(GK_ENUMERIC, "analogy: the vector of '%s' (row %lld) has norm "
                              "%g: no cosine", vocab->word[i], (long long)i, norms[i]);
    gk_free(norms);
    if (rc == GK_OK) rc = gk_mat_normalize_rows(*W);
    if (rc != GK_OK) gk_mat_free(*W), *W = NULL;
    return rc;
}

static int result_alloc(const gk_analogy_questions *q, gk_analogy_result **out)
{
    gk_analogy_result *r = gk_calloc(1, sizeof *r);
    if (r) {
        r->sections = gk_calloc((size_t)q->n_sections, sizeof *r->sections);
        r->pred_add = gk_malloc((size_t)q->n * sizeof *r->pred_add);
        r->pred_mul = gk_malloc((size_t)q->n * sizeof *r->pred_mul);
    }
    if (!r || !r->sections || !r->pred_add || !r->pred_mul) {
        gk_analogy_result_free(r);
        return gk_set_error(GK_ENOMEM, "analogy: out of memory");
    }
    for (int64_t i = 0; i < q->n; i++) r->pred_add[i] = r->pred_mul[i] = -1;
    r->n_sections = q->n_sections;
    for (int32_t s = 0; s < q->n_sections; s++) r->sections[s].name = q->section[s];
    *out = r;
    return GK_OK;
}

static double ratio(int64_t a, int64_t b) { return b > 0 ? (double)a / (double)b : NAN; }

/* Counts per section and overall from the answers. */
static void tally(const gk_analogy_questions *q, const int64_t *rows, gk_analogy_result *r)
{
    for (int64_t i = 0; i < q->n; i++) {
        gk_analogy_section *s = &r->sections[q->sec[i]];
        s->n++;
        const int covered = rows[4 * i] >= 0 && rows[4 * i + 1] >= 0 && rows[4 * i + 2] >= 0 &&
                            rows[4 * i + 3] >= 0;
        s->covered += covered;
        s->add_correct += covered && r->pred_add[i] == rows[4 * i + 3];
        s->mul_correct += covered && r->pred_mul[i] == rows[4 * i + 3];
    }
    for (int32_t k = 0; k < r->n_sections; k++) {
        gk_analogy_section *s = &r->sections[k];
        s->add_acc = ratio(s->add_correct, s->covered);
        s->mul_acc = ratio(s->mul_correct, s->covered);
        r->n += s->n, r->covered += s->covered;
        r->add_correct += s->add_correct, r->mul_correct += s->mul_correct;
    }
    r->coverage = ratio(r->covered, r->n);
    r->add_acc = ratio(r->add_correct, r->covered), r->mul_acc = ratio(r->mul_correct, r->covered);
}

/* Questions whose four words all have a row, in order. */
static int64_t covered_list(const gk_analogy_questions *q, const int64_t *rows, int64_t *cov)
{
    int64_t n = 0;
    for (int64_t i = 0; i < q->n; i++)
        if (rows[4 * i] >= 0 && rows[4 * i + 1] >= 0 && rows[4 * i + 2] >= 0 &&
            rows[4 * i + 3] >= 0)
            cov[n++] = i;
    return n;
}

static int check_eval_args(const gk_mat *vectors, const gk_vocab *vocab,
                           const gk_analogy_questions *q, const gk_analogy_opts *o,
                           gk_analogy_result **out)
{
    GK_FAIL_IF(!vectors || !vocab || !q || !out, GK_EARG, "analogy: NULL argument");
    *out = NULL;
    GK_FAIL_IF(vocab->n != vectors->rows, GK_EARG,
               "analogy: the vocabulary has %lld words but the vectors have %lld rows",
               (long long)vocab->n, (long long)vectors->rows);
    GK_FAIL_IF(!(o->epsilon >= 0), GK_EARG, "analogy: epsilon %g (expected >= 0)", o->epsilon);
    GK_FAIL_IF(o->block_words < 0, GK_EARG, "analogy: block_words %lld (expected >= 0)",
               (long long)o->block_words);
    return GK_OK;
}

int gk_analogy_eval(const gk_mat *vectors, const gk_vocab *vocab, const gk_analogy_questions *q,
                    const gk_analogy_opts *opts, gk_analogy_result **out)
{
    const gk_analogy_opts o = opts ? *opts : gk_analogy_opts_default();
    GK_TRY(check_eval_args(vectors, vocab, q, &o, out));
    gk_mat *W = NULL;
    gk_analogy_result *r = NULL;
    int64_t *rows = gk_malloc((size_t)(5 * q->n) * sizeof *rows), *cov = rows + 4 * q->n;
    int rc = rows ? GK_OK : gk_set_error(GK_ENOMEM, "analogy: out of memory");
    if (rc == GK_OK) rc = an_question_rows(q, vocab, rows);
    if (rc == GK_OK) rc = unit_copy(vectors, vocab, &W);
    if (rc == GK_OK) rc = result_alloc(q, &r);
    if (rc == GK_OK) {
        int64_t cap = o.block_words > 0 ? o.block_words : AUTO_BLOCK_ELEMS / W->rows;
        if (!o.block_words && cap < AUTO_MIN_WORDS) cap = AUTO_MIN_WORDS;
        gk_knn *idx = NULL;
        an_job jb = {W, NULL, rows, cov, covered_list(q, rows, cov), cap > 3 ? cap : 3,
                     o.epsilon, r->pred_add, r->pred_mul};
        if (jb.ncov > 0 && (rc = gk_knn_create(W, GK_DIST_IP, &idx)) == GK_OK) {
            jb.idx = idx;
            rc = score_all(&jb);
        }
        gk_knn_free(idx);
    }
    if (rc == GK_OK) {
        r->epsilon = o.epsilon;
        tally(q, rows, r);
        *out = r;
    } else {
        gk_analogy_result_free(r);
    }
    gk_free(rows);
    gk_mat_free(W);
    return rc;
}
