/*
** knn_internal.h — what the files of src/knn share: the index, the fixed
** tiles, row preparation and the tile driver that both the top-k search and
** the streams run on.  Not installed.
**
** Tiles are FIXED (never derived from the thread count): query rows are cut
** at multiples of KNN_QT from row 0 and gallery rows at multiples of KNN_GT,
** and every key comes from one sgemm of one (query tile, gallery tile) pair,
** so the top-k search and the streams see bit-identical keys whatever the
** number of threads.  (Why these sizes: OpenBLAS packs both operands on
** every call, about (QT + GT)·D floats for 2·QT·GT·D flops, so tall tiles
** keep the packing near 1 % of the time.)
*/
#ifndef GAPKIT_KNN_INTERNAL_H
#define GAPKIT_KNN_INTERNAL_H

#include "gapkit/knn.h"
#include "linalg/blas_threads_internal.h"

#define KNN_QT 256   /* query rows per tile */
#define KNN_GT 2048  /* gallery rows per tile: a QT×GT key tile is 2 MB */
#define KNN_CHUNK 8  /* most query tiles a thread takes at once */

/* Bit-for-bit duplicate gallery rows must tie exactly, but one sgemm may
** round the same product differently in different columns.  So the products
** are taken with the DISTINCT rows only (the first copy of each), and each
** distinct row's key is given to all its copies.  Without duplicates drow
** and copies are NULL and nd == N. */
struct gk_knn {
    gk_mat g;         /* the borrowed gallery view (N,D) */
    gk_distance dist;
    double *mu;       /* (D,) gallery column mean (euclidean), else NULL */
    int64_t nd;       /* distinct rows */
    int64_t *drow;    /* (nd,) ascending: the first copy of each distinct row */
    int64_t *cstart;  /* (nd+1,) copies of distinct row c: copies[cstart[c] .. cstart[c+1]) */
    int64_t *copies;  /* (N,) gallery rows grouped by distinct row, ascending in a group */
};

/* One thread's scratch: a chunk of prepared query rows, one prepared
** gallery tile and the key tile of one (query tile, gallery tile) pair. */
typedef struct knn_lane {
    float *qbuf; /* (KNN_CHUNK·KNN_QT, D) prepared query rows of the chunk */
    float *qn;   /* (KNN_CHUNK·KNN_QT,) ‖prepared query row‖² */
    float *gbuf; /* (gt, D) prepared gallery tile */
    float *gn;   /* (gt,) ‖prepared gallery row‖² (the euclidean keys add it) */
    float *keys; /* (KNN_QT, gt) keys of the current tile pair, row stride ng */
    int64_t c0;  /* first query row of the chunk in qbuf: row i is at qbuf + (i−c0)·D */
    int tid;
} knn_lane;

/* The driver's state: the query rows and every thread's lane. */
typedef struct knn_work {
    const gk_knn *idx;
    const gk_mat *q;  /* query rows: Q, or the gallery itself */
    int nt;           /* OpenMP threads */
    int64_t gt;       /* gallery rows per tile: min(KNN_GT, distinct rows) */
    knn_lane *lane;   /* (nt,) */
    float *pool;      /* the lanes' buffers */
} knn_work;

/* Called for every (query tile, gallery tile) pair on the thread owning L:
** L->keys (nq, ng) holds the keys of query rows [q0, q0+nq) against the
** DISTINCT gallery rows [g0, g0+ng) (gallery rows themselves when there are
** no duplicates), without the ‖g‖² term of euclidean keys: add L->gn[c]. */
typedef void (*knn_visit)(void *ud, const knn_work *w, const knn_lane *L, int64_t q0,
                          int64_t nq, int64_t g0, int64_t ng);

/* Called once a chunk of query rows [c0, c0+cn) has seen every gallery
** tile; L->qbuf and L->qn still hold its prepared rows.  May be NULL. */
typedef void (*knn_done)(void *ud, const knn_work *w, const knn_lane *L, int64_t c0,
                         int64_t cn);

/* Allocates w for query rows q (NULL = the gallery).  @return : GK_OK, GK_ENOMEM. */
int knn_work_init(knn_work *w, const gk_knn *idx, const gk_mat *q);
void knn_work_free(knn_work *w);

/* Visits every (query tile, gallery tile) pair of query rows [r0, r0+nr)
** (r0 a multiple of KNN_QT): threads take chunks of query tiles, prepare
** them, then walk the gallery tile by tile (in order), preparing each tile
** themselves, so no thread ever waits for another until the end.  Call
** with BLAS single-threaded (gk_blas_serial). */
void knn_run(knn_work *w, int64_t r0, int64_t nr, knn_visit visit, knn_done done, void *ud);

/* knn_run over all n query rows in slices of whole tiles (at least a few
** chunks per thread), reporting progress under `task` between slices; BLAS
** single-threaded meanwhile. */
void knn_run_slices(knn_work *w, int64_t n, knn_visit visit, knn_done done, void *ud,
                    const char *task);

/* Checks Q (rows of the index's dimension, finite, no zero row for cosine).
** `what` names it in messages.  @return : GK_OK, GK_ESHAPE, GK_ENUMERIC. */
int knn_check_rows(const gk_knn *idx, const gk_mat *q, const char *what);

/* Distance (knn.h) in double between the prepared query row q (D,) and
** gallery row j, prepared the same way. */
double knn_exact_dist(const gk_knn *idx, const float *q, int64_t j);

/* The gallery rows that column c of a key tile (distinct row c) stands
** for: knn_copy(idx, e) for e in [knn_copy_begin, knn_copy_end), ascending,
** the first being the distinct row itself; without duplicates just row c.
** A refinement computes the exact distance once, for knn_copy(idx, begin),
** and gives it to every copy (they are the same row). */
static inline int64_t knn_copy_begin(const gk_knn *idx, int64_t c)
{
    return idx->copies ? idx->cstart[c] : c;
}
static inline int64_t knn_copy_end(const gk_knn *idx, int64_t c)
{
    return idx->copies ? idx->cstart[c + 1] : c + 1;
}
static inline int64_t knn_copy(const gk_knn *idx, int64_t e)
{
    return idx->copies ? idx->copies[e] : e;
}

/* Prepared query row i (D,) of the chunk on lane L. */
static inline const float *knn_lane_query(const knn_work *w, const knn_lane *L, int64_t i)
{
    return L->qbuf + (i - L->c0) * w->idx->g.cols;
}

/* dst (D,) = row i of m prepared for idx's distance (as the tiles are);
** returns ‖dst‖². */
float knn_prep_row(const gk_knn *idx, const gk_mat *m, int64_t i, float *dst);

/* A search fed one part of the gallery at a time (src/dist: the shards of a
** ring), in ANY order of the parts: the heaps keep the K smallest (key,
** global index) pairs, so after every part they hold the answer of one
** search over the whole gallery, provided each part's keys are those of
** that search (parts start at multiples of KNN_GT, queries at multiples of
** KNN_QT, the same μ).
** knn_topk_start: *hk (n,K) = +inf (caller frees), hi (n,K) = INT64_MAX.
** knn_topk_feed: gallery row j of `part` is global row goff + j; query row r
** of Q is global row qoff + r, excluded from its own list when self.
** knn_topk_sort: every row's K pairs into ORDER. */
int knn_topk_start(int64_t n, int64_t k, float **hk, int64_t *hi);
int knn_topk_feed(const gk_knn *part, const gk_mat *Q, int64_t k, int64_t goff, int64_t qoff,
                  int self, float *hk, int64_t *hi);
void knn_topk_sort(int64_t n, int64_t k, float *hk, int64_t *hi);

/* gk_knn_ranks() against one part of a gallery (src/dist: a shard of a
** ring) whose row 0 is global row goff: targets (global rows) need not lie
** in the part, so their exact distances come in tdist (T,), computed by
** knn_exact_dist from the prepared query row wherever the target lives;
** ahead (T,) += the part's rows that come before each target in ORDER
** (distance in double, then global row).  Summed over the parts of the
** gallery, 1 + ahead is the rank of gk_knn_ranks() over the whole gallery.
** Q: query rows (no self-exclusion).  @return : GK_OK, GK_ENOMEM. */
int knn_ranks_part(const gk_knn *part, const gk_mat *Q, const int64_t *tstart,
                   const int64_t *targets, const double *tdist, int64_t goff, int64_t *ahead);

/* The JSON of gk_knn_summary_to_json() from the counts (nd: distinct rows). */
int knn_summary_json(int64_t n, int64_t nd, gk_distance d, int64_t n_queries, int self,
                     int64_t k, const float *dist, char **json);

/* Finds the bit-for-bit duplicate rows of the gallery (sets nd, drow,
** cstart, copies).  @return : GK_OK, GK_ENOMEM. */
int knn_find_copies(gk_knn *idx);

#endif
