/*
** analogy.h — word-analogy benchmarks of an embedding space: the analogy
** questions and their scoring by 3CosAdd and 3CosMul (docs/analogy.md), and
** the NNGS paper's case study relating analogy accuracy to NNGS and CKA
** across variants of a space (`gapkit study analogy-nngs`).  Pearson and
** Spearman correlation are in eval.h.
*/
#ifndef GAPKIT_ANALOGY_H
#define GAPKIT_ANALOGY_H

#include "eval.h"
#include "io.h"
#include "knn.h"
#include "matrix.h"
#include "nngs.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  word analogies (Mikolov et al. 2013; Levy & Goldberg 2014)  ====*/

/* Questions "a b c d" (a is to b as c is to d) in sections, as in word2vec's
** questions-words.txt: a line ": NAME" starts section NAME; every other
** non-blank line holds exactly four words.  Words are stored lower-cased
** (ASCII letters only). */
typedef struct gk_analogy_questions {
    int64_t n;          /* questions */
    int32_t n_sections; /* sections (questions before any ": NAME" line go to "") */
    char **section;     /* (n_sections,) names; point into `text` */
    int32_t *sec;       /* (n,) section of each question */
    char **word;        /* (4n,) word[4q + 0..3] = a, b, c, d of question q; into `text` */
    char *text;         /* owned storage of the strings */
} gk_analogy_questions;

/*! gk_analogy_read() : reads a questions file (format above).
 *  @return : GK_OK; GK_EIO; GK_EFORMAT naming the line ("line 17: expected 4
 *  words a b c d, found 3"; no question at all).  *out : caller owns, free
 *  with gk_analogy_questions_free(); NULL on failure. */
int gk_analogy_read(const char *path, gk_analogy_questions **out);

/*! gk_analogy_read_mem() : as gk_analogy_read() on a file held in memory
 *  (buf[0..len) is copied, not modified); `name` prefixes messages. */
int gk_analogy_read_mem(const void *buf, size_t len, const char *name,
                        gk_analogy_questions **out);

/*! gk_analogy_questions_free() : NULL is a no-op. */
void gk_analogy_questions_free(gk_analogy_questions *q);

typedef struct gk_analogy_opts {
    double epsilon;     /* 3CosMul's ε (0.001, Levy & Goldberg) */
    int64_t block_words; /* distinct a/b/c words per similarity block (>= 3); 0 =
                            automatic: 2^22 similarities (16 MB), at least 64 words */
} gk_analogy_opts;

/*! gk_analogy_opts_default() : @return : {0.001, 0}. */
gk_analogy_opts gk_analogy_opts_default(void);

typedef struct gk_analogy_section {
    const char *name;       /* borrowed from the questions */
    int64_t n;              /* questions in the section */
    int64_t covered;        /* of which all four words are in the vocabulary */
    int64_t add_correct;    /* covered questions 3CosAdd answers right */
    int64_t mul_correct;    /* covered questions 3CosMul answers right */
    double add_acc, mul_acc; /* correct / covered (NaN when nothing is covered) */
} gk_analogy_section;

typedef struct gk_analogy_result {
    int64_t n, covered, add_correct, mul_correct; /* totals over the sections */
    double coverage;          /* covered / n */
    double add_acc, mul_acc;  /* over the covered questions */
    double epsilon;           /* 3CosMul's ε used */
    int32_t n_sections;
    gk_analogy_section *sections; /* (n_sections,) */
    int64_t *pred_add;        /* (n,) vocabulary row 3CosAdd answers, −1 if not covered */
    int64_t *pred_mul;        /* (n,) the same for 3CosMul */
} gk_analogy_result;

/*! gk_analogy_eval() : answers every question whose four words are all in
 *  the vocabulary (vocab->word[i] names row i of vectors (V,D); the first row
 *  of a repeated word wins) by both rules of Levy & Goldberg (2014), over
 *  the whole vocabulary except a, b and c, with unit rows ŵ:
 *    3CosAdd: argmax_w  cos(w,b) − cos(w,a) + cos(w,c)
 *             (the same argmax as cos(w, b̂ − â + ĉ));
 *    3CosMul: argmax_w  s(w,b)·s(w,c) / (s(w,a) + ε),  s = (cos + 1)/2 ∈ [0,1].
 *  Ties go to the lower row.  A question counts as correct when the answer
 *  is d.  Computation: consecutive covered questions are grouped into blocks
 *  of at most opts->block_words distinct a/b/c words (questions share words
 *  heavily); the cosines of a block's words with every word come from one
 *  single-precision GEMM (words × V, single-threaded BLAS), the scores are
 *  formed in double and the questions answered in parallel (OpenMP).  The
 *  blocks depend only on the questions and V, so answers do not depend on
 *  the thread count.
 *  vectors need not be unit (rows are normalised in a copy; a zero row is
 *  GK_ENUMERIC naming the word).  opts may be NULL.
 *  @return : GK_OK; GK_EARG (NULL, vocab->n != V, ε < 0); GK_ENUMERIC;
 *  GK_ENOMEM.  *out : caller owns, free with gk_analogy_result_free(); it
 *  borrows the section names of q. */
int gk_analogy_eval(const gk_mat *vectors, const gk_vocab *vocab,
                    const gk_analogy_questions *q, const gk_analogy_opts *opts,
                    gk_analogy_result **out);

/*! gk_analogy_result_free() : NULL is a no-op. */
void gk_analogy_result_free(gk_analogy_result *r);

/*! gk_analogy_to_json() : {"task":"analogy","epsilon","n","covered","coverage",
 *  "3cosadd":{"correct","accuracy"},"3cosmul":{…},"sections":[{"name","n",
 *  "covered","3cosadd":{…},"3cosmul":{…}}…]} (NaN → null).  *json : caller
 *  frees with gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_analogy_to_json(const gk_analogy_result *r, char **json);

/*! gk_analogy_pairs() : the word pairs of section s: (a, b) and (c, d) of
 *  each of its questions, without repeats, in order of first appearance,
 *  keeping the pairs whose two words are in the vocabulary.  first (n,) and
 *  second (n,) receive their vocabulary rows.  (The NNGS paper's case study
 *  compares the space of the first words with that of the second words.)
 *  @return : GK_OK; GK_EARG (NULL, s out of range); GK_ENOMEM.  *first and
 *  *second : caller frees with gk_free(); *n may be 0. */
int gk_analogy_pairs(const gk_analogy_questions *q, const gk_vocab *vocab, int32_t s,
                     int64_t **first, int64_t **second, int64_t *n);

/*====  the NNGS paper's word-analogy case study  ====*/

typedef struct gk_analogy_study_opts {
    gk_kspec k;           /* NNGS scale ({0, 0.2}: k = floor(0.2 (N−1)), the paper's 0.2 N) */
    gk_distance distance; /* NNGS distance (GK_DIST_EUCLIDEAN, the paper's) */
    int normalize;        /* 1: unit rows before measuring (default 0: raw vectors) */
} gk_analogy_study_opts;

/*! gk_analogy_study_opts_default() : @return : {{0, 0.2}, GK_DIST_EUCLIDEAN, 0}. */
gk_analogy_study_opts gk_analogy_study_opts_default(void);

typedef struct gk_analogy_study_row {
    const char *name;         /* the section, borrowed from the questions */
    int64_t n_pairs;          /* N: its distinct word pairs in the vocabulary */
    int64_t k;                /* NNGS neighbours (0 when N is too small) */
    int64_t covered;          /* questions with all four words */
    double acc_add, acc_mul;  /* 3CosAdd and 3CosMul accuracy over them */
    double nngs_raw, nngs;    /* mean Jaccard and its normalised form (NaN: too small) */
    double cka;               /* linear CKA of the two spaces */
} gk_analogy_study_row;

/* Correlation of one measure with one accuracy across the sections used. */
typedef struct gk_corr_pair {
    double pearson, pearson_p, spearman, spearman_p;
} gk_corr_pair;

typedef struct gk_analogy_study {
    gk_analogy_study_opts opts;
    int32_t n_rows;
    gk_analogy_study_row *rows; /* (n_rows,), one per section */
    int64_t n_used;             /* sections with every value: the correlation sample */
    /* [m][a]: measure m (0 NNGS raw, 1 NNGS normalised, 2 linear CKA) against
    ** accuracy a (0 3CosAdd, 1 3CosMul) */
    gk_corr_pair corr[3][2];
} gk_analogy_study;

/*! gk_analogy_study_run() : the case study of Tavares et al. (arXiv
 *  2411.08687, §"word analogies"): for every section of q, X = the vectors of
 *  the first words and Y = of the second words of its distinct pairs
 *  (gk_analogy_pairs()); NNGS (gk_nngs()) at scale opts->k with
 *  opts->distance and linear CKA (gk_cka_linear()) of X and Y; the
 *  section's analogy accuracies (gk_analogy_eval(), ε = 0.001); then Pearson
 *  and Spearman with p-values of each measure against each accuracy across
 *  the sections where all are defined (a section with too few pairs for k is
 *  kept with NaN measures and left out).  opts may be NULL.
 *  @return : GK_OK; the codes of the steps; GK_EARG when fewer than 3
 *  sections can be used.  *out : caller owns, gk_analogy_study_free(); it
 *  borrows q's section names. */
int gk_analogy_study_run(const gk_mat *vectors, const gk_vocab *vocab,
                         const gk_analogy_questions *q, const gk_analogy_study_opts *opts,
                         gk_analogy_study **out);

/*! gk_analogy_study_free() : NULL is a no-op. */
void gk_analogy_study_free(gk_analogy_study *s);

/*! gk_analogy_study_to_json() : {"task":"analogy-nngs-study","k","distance",
 *  "normalize","sections":[{"name","pairs","k","covered","3cosadd","3cosmul",
 *  "nngs_raw","nngs","cka"}…],"n_used","correlations":[{"measure","accuracy",
 *  "pearson","pearson_p","spearman","spearman_p"}…]} (NaN → null).
 *  *json : caller frees with gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_analogy_study_to_json(const gk_analogy_study *s, char **json);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_ANALOGY_H */
