/*
** align_internal.h — the layout of a fitted transform, shared by the fit,
** apply and file code of src/align.  Not installed.
**
** Every method except the decoding side of projdec is a per-view affine map
** followed by renormalisation (two-view COMET too: offset x̄, proj U_k,
** scale w):
**   x' = normalize( ((x − offset_v) · proj_v) ⊙ scale_v )
** where each of offset, proj and scale may be absent (NULL = 0, I, 1).
*/
#ifndef GAPKIT_ALIGN_INTERNAL_H
#define GAPKIT_ALIGN_INTERNAL_H

#include "gapkit/align.h"
#include "gapkit/train.h"

/* Loops over fewer elements than this run on one thread: on a busy machine
** waking a team costs more than the work. */
#define GK_OMP_MIN_WORK (1 << 18)

typedef struct al_view {
    int64_t d, d_out; /* input D_v and output dimension (d_out == d without proj) */
    float *offset;    /* (d,) or NULL */
    float *proj;      /* (d, d_out) row-major or NULL */
    float *scale;     /* (d_out,) or NULL */
} al_view;

/* The sums a fit takes from the rows, when they are spread over MPI ranks
** (src/dist/dist_align.c): each gives the bits of its one-process
** counterpart (gk_col_mean_blocked, gk_cross_centered, gk_comet_fit) on the
** rows of every rank; all_rows gives the rows themselves (projdec's memory):
** every rank's rows of X in row order, an owned (n, D) copy on every rank.
** Collective. */
typedef struct al_sums {
    int64_t n; /* rows over all ranks */
    int (*col_mean)(const gk_mat *X, int64_t n, double *mu);
    int (*cross)(const gk_mat *X, const double *mux, const gk_mat *Y, const double *muy,
                 double *M);
    int (*comet_fit)(const gk_mat *T, const gk_mat *A, int64_t k, gk_comet **out);
    int (*all_rows)(const gk_mat *X, int64_t n, gk_mat **out);
} al_sums;

struct gk_align {
    gk_align_opts opts;    /* anchor resolved to an index */
    int n_views;           /* M */
    int64_t n_fit;         /* N calibration rows */
    al_view view[GK_ALIGN_MAX_VIEWS];
    gk_comet *comet;       /* two-view COMET (view[] holds its affine form) */
    int64_t comet_k;       /* axes applied, 1..gk_comet_k(comet) */
    float *memory;         /* PROJDEC: (n_mem, d_mem) distinct anchor rows */
    int64_t n_mem, d_mem;
    float *diag;           /* (n_diag,) see gk_align_diagnostic(), or NULL */
    gk_heads *heads;       /* HEAD: the trained heads (view[] holds only the sizes) */
    int64_t n_diag;
    char *source;          /* the file gk_align_load read, or NULL */
    const al_sums *sums;   /* during a distributed fit, else NULL (one process) */
};

/* An empty model for M views of dimensions dims[]; views carry no arrays. */
int al_create(const gk_align_opts *o, int n_views, const int64_t *dims, int64_t n_fit,
              gk_align **out);

/* Allocates the arrays of view v (zeroed): offset (d) if with_offset, proj
** (d, d_out) if d_out > 0 (else d_out = d and no proj), scale (d_out) if with_scale. */
int al_view_alloc(al_view *v, int with_offset, int64_t d_out, int with_scale);

/* Two-view COMET: (re)builds view[0..1] as the affine map of its first
** comet_k axes and weight (so COMET applies through al_apply_linear). */
int al_comet_views(gk_align *a);

/* Allocates a->diag with n entries (zeroed). */
int al_diag_alloc(gk_align *a, int64_t n);

/* Column means of the M views, each (D_v,) in double: mu[v] owned by the
** caller (one gk_malloc block, free mu[0]). */
int al_view_means(const gk_mat *const *views, int M, double **mu);

/* al_view_means() of a's views, through a->sums when the rows are spread
** over ranks; the centred cross-product of two views likewise. */
int al_means(const gk_align *a, const gk_mat *const *views, double **mu);
int al_cross(const gk_align *a, const gk_mat *X, const double *mux, const gk_mat *Y,
             const double *muy, double *M);

/* The fit of method o on M checked views of n rows in all (sums: NULL in one
** process), anchor resolved; *out as gk_align_fit(). */
int al_fit_run(const gk_align_opts *o, const gk_mat *const *views, int M, int64_t n,
               const al_sums *sums, gk_align **out);

/* gk_align_fit()'s check of the views' widths against the method. */
int al_check_dims(const gk_align_opts *o, const gk_mat *const *views, int M);

/* normalize every row of a (R,C) row-major float block in place; rows of
** norm 0 stay 0.  Norms accumulated in double.  OpenMP over rows. */
void al_normalize_rows(float *a, int64_t rows, int64_t cols);

/*====  the methods' fits (align_fit_*.c)  ====*/
int al_fit_shift_family(gk_align *a, const gk_mat *const *views);    /* center, shift, ablate */
int al_fit_procrustes(gk_align *a, const gk_mat *const *views);
int al_fit_multiview(gk_align *a, const gk_mat *const *views, int whiten); /* cca / M-view PLS */
int al_fit_projdec(gk_align *a, const gk_mat *const *views);

/* A HEAD transform around loaded heads (takes ownership of h, also on failure). */
int al_from_heads(gk_heads *h, gk_align **out);

/* A COMET model as gk_align_save writes it: kind "comet" plus how it is
** applied (k axes, the rule that chose k, weight), so a model fitted on MPI
** ranks is the same file as one fitted in one process. */
int al_save_comet(const gk_comet *c, int64_t k, gk_k_rule rule, gk_comet_weight w,
                  const char *path);

/*====  apply paths  ====*/
int al_apply_linear(const al_view *v, const gk_mat *X, gk_mat **out);
int al_apply_projdec(const gk_align *a, const gk_mat *X, gk_mat **out);

#endif
