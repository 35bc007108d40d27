/*
** synth.h — paired embeddings with a known structure, the embedded default
** that the README's first command analyses (no data files needed).
**
** Model of one item i (all directions orthonormal, drawn at random from `seed`):
**   text  t_i = m_T + Σ_j s_j z_ij e_j            + Σ_p r_p u_ip f_p + ν·ε_i
**   audio a_i = m_A + Σ_j s_j (ρ_j z_ij + √(1−ρ_j²) w_ij) e_j + Σ_p r_p v_ip g_p + ν·η_i
** with z, w, u, v, ε, η independent standard normals.  e_1..e_K are the K shared
** concept axes (cross-modal correlation ρ_j, scale s_j), f_p / g_p are the
** modality-private tail axes, and the means m_T = c + (γ/2)δ, m_A = c − (γ/2)δ
** differ by the gap γ along δ (c is a common "cone" direction).  Rows are
** L2-normalised afterwards when opts.normalize is set.
*/
#ifndef GAPKIT_SYNTH_H
#define GAPKIT_SYNTH_H

#include "comet.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

typedef struct gk_synth_opts {
    int64_t n;          /* items (rows of each modality) */
    int64_t d;          /* embedding dimension */
    int64_t k_shared;   /* K shared concept axes */
    double corr_first;  /* ρ of axis 1 ... */
    double corr_last;   /* ... down to ρ of axis K, linearly */
    double scale_first; /* s_1 ... */
    double scale_last;  /* ... down to s_K, linearly */
    int64_t n_private;  /* private axes per modality */
    double private_scale; /* r_p, the same for every private axis */
    double gap;         /* γ: distance between the modality means */
    double cone;        /* ‖c‖: common offset of both modalities */
    double noise;       /* ν: isotropic noise per coordinate */
    int n_classes;      /* > 0: items fall into classes whose centres are Gaussian in
                           the shared latent space; labels are returned */
    int normalize;      /* 1: unit rows */
    uint64_t seed;
} gk_synth_opts;

/*! gk_synth_opts_default() : n 2000, d 64, K 8, ρ 0.95→0.6, s 1.0→0.5,
 *  8 private axes of scale 0.6 each, gap 1.0, cone 1.0, noise 0.02, 10
 *  classes, unit rows, seed 0. */
gk_synth_opts gk_synth_opts_default(void);

typedef struct gk_synth {
    gk_mat *text;      /* (N,D) first modality */
    gk_mat *audio;     /* (N,D) second modality */
    gk_mat *axes;      /* (K,D) the shared axes e_j, one per row */
    double *corr;      /* (K,) ρ_j */
    double *scale;     /* (K,) s_j */
    double *gap_dir;   /* (D,) δ */
    int32_t *label;    /* (N,) class of each item, or NULL when n_classes == 0 */
} gk_synth;

/*! gk_synth_generate() : draws the data described above.
 *  @return : GK_OK, GK_EARG when the axes do not fit: K + 2·n_private + 2 > D,
 *  ρ outside [0, 1], n < 2.  *out: caller owns; free with gk_synth_free(). */
int gk_synth_generate(const gk_synth_opts *opts, gk_synth **out);

/*! gk_synth_free() : NULL is a no-op. */
void gk_synth_free(gk_synth *s);

/*====  how well a fitted COMET model found the generator's axes  ====*/

typedef struct gk_synth_recovery {
    int64_t k_true;     /* K of the generator */
    int64_t k_model;    /* leading model axes compared */
    int64_t *match;     /* (K,) model axis l (0-based) maximising |e_j · u_l| */
    double *cos_t;      /* (K,) |e_j · u_match|: text-side axis against the truth */
    double *cos_a;      /* (K,) |e_j · v_match|: audio-side axis against the truth */
    double *subspace;   /* (K,) ‖P e_j‖, P the projector on span(u_1..u_k_model):
                           1 = e_j lies in the recovered text subspace, even when
                           axes of equal σ mix inside it */
    double *corr_model; /* (K,) the model's corr of the matched axis, to set
                           beside the generator's ρ_j */
} gk_synth_recovery;

/*! gk_synth_recovery_compare() : compares the generator's shared axes s->axes
 *  (K,D) with the first k (1..gk_comet_k(m)) axes of model m fitted on
 *  s->text ↔ s->audio (D_T = D_A = D).  Every u_l, v_l is unit, so each cos
 *  is in [0, 1].  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM.
 *  *out : caller owns (gk_synth_recovery_free). */
int gk_synth_recovery_compare(const gk_synth *s, const gk_comet *m, int64_t k,
                              gk_synth_recovery **out);

/*! gk_synth_recovery_free() : NULL is a no-op. */
void gk_synth_recovery_free(gk_synth_recovery *r);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif
