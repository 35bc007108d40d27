/*
** test_dist.c — dist.h in one process (rank 0 of 1, as in every build): the
** block-aligned row split for any rank count, @LIST shards equal to the
** concatenated file, their errors, the fixed-order block sum, and the
** distributed comet fit, CKA, NNGS and mutual k-NN equal, bit for bit, to
** the one-process ones, and the kNN heaps fed gallery part by part in any
** order (the ring's merge) giving the lists of gk_knn_graph(); the gap
** diagnostics and align fits (two and three views, projdec from all rows)
** from block sums equal to one process's, bit for bit, retrieval ranks
** counted part by part equal to gk_knn_ranks(), and grouped retrieval on the
** ring equal to gk_retrieval_both_ci().  The same code on 1, 2 and 3 MPI
** ranks is tested by tests/cli/mpi*.sh.
*/
#include <math.h>
#include <string.h>

#include "io_test_util.h"
#include "knn_test_util.h" /* gauss() */
#include "knn/knn_internal.h" /* the heaps fed part by part, as the ring does */
#include "dist/dist_internal.h" /* the global duplicate table */

/* Every rank count splits [0, n) into consecutive runs of whole blocks. */
static void test_row_range_covers_in_blocks(void **state)
{
    (void)state;
    const int64_t ns[] = {1, 5, 4095, 4096, 4097, 10000, 3 * 4096, 40000};
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
        for (int size = 1; size <= 5; size++) {
            int64_t next = 0, big = 0, small = INT64_MAX;
            for (int r = 0; r < size; r++) {
                int64_t r0, nr;
                gk_dist_row_range(ns[t], r, size, &r0, &nr);
                assert_int_equal(r0, next);
                if (nr > 0 && ns[t] > GK_CROSS_BLOCK) assert_int_equal(r0 % GK_CROSS_BLOCK, 0);
                next = r0 + nr;
                if (nr > big) big = nr;
                if (nr < small) small = nr;
            }
            assert_int_equal(next, ns[t]);
            /* balanced: one block more at most, and the last block may be short */
            assert_true(big - small < 2 * GK_CROSS_BLOCK);
        }
}

static void test_sum_blocks_in_order(void **state)
{
    (void)state;
    /* 1e16 + 1 − 1e16 in this order is 0 in double, in another order 1 */
    const double parts[] = {1e16, 1, 1, 2, -1e16, 3};
    double total[2];
    assert_gk_ok(gk_dist_sum_blocks(parts, 3, 2, total));
    assert_true(total[0] == 0.0);
    assert_true(total[1] == 6.0);
}

static const char *save(const char *name, const gk_mat *m)
{
    const char *p = tmp_path(name);
    assert_gk_ok(gk_npy_write(p, m));
    return p;
}

static void test_shard_list_equals_the_file(void **state)
{
    (void)state;
    gk_mat *x = gauss(9000, 12, 3);
    gk_mat a = gk_mat_view_rows(x, 0, 4000), b = gk_mat_view_rows(x, 4000, 1), c =
        gk_mat_view_rows(x, 4001, 4999);
    char list[1600];
    snprintf(list, sizeof list, "%s\n%s\n%s\n", save("a.npy", &a), save("b.npy", &b),
             save("c.npy", &c));
    char spec[600];
    snprintf(spec, sizeof spec, "@%s", write_bytes("list.txt", list, strlen(list)));
    gk_shard *s, *f;
    assert_gk_ok(gk_shard_open(spec, 1, &s));
    assert_gk_ok(gk_shard_open(save("x.npy", x), 1, &f));
    assert_int_equal(s->n, 9000);
    assert_int_equal(s->rows.rows, 9000);
    for (int64_t i = 0; i < 9000; i++)
        assert_memory_equal(gk_mat_row(&s->rows, i), gk_mat_row(&f->rows, i), 12 * sizeof(float));
    gk_shard_free(s), gk_shard_free(f);
    gk_mat_free(x);
}

static void test_shard_errors_name_shard_and_rank(void **state)
{
    (void)state;
    gk_mat *x = gauss(10, 4, 1), *y = gauss(10, 5, 2);
    char list[1200], spec[600];
    gk_shard *s = (gk_shard *)1;
    snprintf(list, sizeof list, "%s\n%s\n", save("x4.npy", x), tmp_path("absent.npy"));
    snprintf(spec, sizeof spec, "@%s", write_bytes("bad1.txt", list, strlen(list)));
    assert_int_equal(gk_shard_open(spec, 1, &s), GK_EIO);
    assert_null(s);
    assert_non_null(strstr(gk_last_error(), "shard 1"));
    assert_non_null(strstr(gk_last_error(), "absent.npy"));
    assert_non_null(strstr(gk_last_error(), "(rank 0)"));
    snprintf(list, sizeof list, "%s\n%s\n", save("x4.npy", x), save("y5.npy", y));
    snprintf(spec, sizeof spec, "@%s", write_bytes("bad2.txt", list, strlen(list)));
    assert_int_equal(gk_shard_open(spec, 1, &s), GK_ESHAPE);
    assert_non_null(strstr(gk_last_error(), "shard 1"));
    assert_non_null(strstr(gk_last_error(), "has 5 columns but shard 0"));
    assert_non_null(strstr(gk_last_error(), "(rank 0)"));
    gk_mat_free(x), gk_mat_free(y);
}

/* Two passes of block sums: the same bits as gk_comet_fit (3 blocks, one short). */
static void test_comet_fit_same_bits(void **state)
{
    (void)state;
    gk_mat *t = gauss(2 * GK_CROSS_BLOCK + 777, 16, 5), *a = gauss(2 * GK_CROSS_BLOCK + 777, 16, 6);
    for (int64_t i = 0; i < t->rows * 16; i++) a->data[i] += 0.5f * t->data[i] + 1.0f;
    gk_comet *m1, *m2;
    assert_gk_ok(gk_comet_fit(t, a, 5, &m1));
    assert_gk_ok(gk_dist_comet_fit(t, a, 5, &m2));
    assert_int_equal(gk_comet_n_fit(m2), t->rows);
    for (int side = 0; side < 2; side++) {
        double t1, t2;
        assert_memory_equal(gk_comet_mean(m1, side), gk_comet_mean(m2, side), 16 * sizeof(float));
        assert_memory_equal(gk_comet_axes(m1, side), gk_comet_axes(m2, side), 80 * sizeof(float));
        assert_memory_equal(gk_comet_var(m1, side, &t1), gk_comet_var(m2, side, &t2),
                            5 * sizeof(float));
        assert_true(t1 == t2);
    }
    assert_memory_equal(gk_comet_sigma(m1), gk_comet_sigma(m2), 16 * sizeof(float));
    assert_memory_equal(gk_comet_corr(m1), gk_comet_corr(m2), 5 * sizeof(float));
    gk_comet_free(m1), gk_comet_free(m2);
    gk_mat_free(t), gk_mat_free(a);
}

static void test_cka_same_bits(void **state)
{
    (void)state;
    gk_mat *x = gauss(GK_CROSS_BLOCK + 100, 10, 7), *y = gauss(GK_CROSS_BLOCK + 100, 6, 8);
    for (int64_t i = 0; i < x->rows; i++)
        for (int64_t j = 0; j < 6; j++) y->data[i * 6 + j] += x->data[i * 10 + j];
    /* svcca with --svcca-dims 4 too: the option reaches the distributed path */
    const char *names[] = {"cka-linear", "procrustes", "cka-unbiased", "svcca", "svcca"};
    for (int k = 0; k < 5; k++) {
        gk_cka_result r1, r2;
        gk_cka_opts o = gk_cka_opts_default();
        if (k == 4) o.svcca_dims = 4;
        assert_gk_ok(gk_cka_measure(names[k], x, y, &o, &r1));
        assert_gk_ok(gk_dist_cka(names[k], x, y, &o, &r2));
        assert_true(r1.value == r2.value);
        assert_true(r1.hsic_xy == r2.hsic_xy || (isnan(r1.hsic_xy) && isnan(r2.hsic_xy)));
        assert_true(r1.n == r2.n && r1.kx == r2.kx && r1.ky == r2.ky);
        assert_int_equal(r1.n_rho, r2.n_rho);
        if (r1.n_rho) assert_memory_equal(r1.rho, r2.rho, (size_t)r1.n_rho * sizeof *r1.rho);
        assert_string_equal(r1.estimator, r2.estimator);
        gk_cka_result_free(&r1), gk_cka_result_free(&r2);
    }
    gk_cka_result r;
    assert_int_equal(gk_dist_cka("cka-rbf", x, y, NULL, &r), GK_EARG);
    gk_mat_free(x), gk_mat_free(y);
}

/* NNGS, mutual and cycle k-NN: graphs from gk_dist_knn, per-row terms
** summed in row order, cycle hits counted where each row lives; CKNNA:
** kernels from the ring, transposed entries and column sums from their
** columns' rank, running sums in row order: the value of one process, bit
** for bit (k as a count and as a fraction); another measure is refused. */
static void test_nbr_same_bits(void **state)
{
    (void)state;
    gk_mat *x = gauss(GK_CROSS_BLOCK + 300, 8, 9), *y = gauss(GK_CROSS_BLOCK + 300, 5, 10);
    for (int64_t i = 0; i < x->rows; i++)
        for (int64_t j = 0; j < 5; j++) y->data[i * 5 + j] += x->data[i * 8 + j];
    const char *names[] = {"nngs", "mutual-knn", "cycle-knn", "cknna"};
    const gk_kspec ks[] = {{7, 0}, {0, 0.01}};
    for (int m = 0; m < 8; m++) {
        gk_nbr_result r1, r2;
        const gk_distance d = m % 2 ? GK_DIST_COSINE : m < 6 ? GK_DIST_EUCLIDEAN : GK_DIST_IP;
        assert_gk_ok(gk_nbr_measure(names[m / 2], x, y, ks[m % 2], d, &r1));
        assert_gk_ok(gk_dist_nbr_measure(names[m / 2], x, y, ks[m % 2], d, &r2));
        assert_true(r1.value == r2.value && r1.k == r2.k && r2.n == x->rows);
        assert_true(r1.raw == r2.raw || (isnan(r1.raw) && isnan(r2.raw)));
        assert_string_equal(r1.estimator, r2.estimator);
        if (m >= 6) /* CKNNA: the three HSIC terms too */
            assert_true(r1.hsic_xy == r2.hsic_xy && r1.hsic_xx == r2.hsic_xx &&
                        r1.hsic_yy == r2.hsic_yy && r1.value > 0.01);
    }
    gk_nbr_result r;
    assert_int_equal(gk_dist_nbr_measure("tas", x, y, ks[0], GK_DIST_COSINE, &r), GK_EARG);
    assert_int_equal(gk_dist_nbr_measure("cknna", x, y, ks[0], GK_DIST_EUCLIDEAN, &r), GK_EARG);
    gk_mat_free(x), gk_mat_free(y);
}

/* k-means through the distributed steps (running sums of the chunk
** partials, gathered k-means++ sample, farthest row over ranks) gives
** gk_kmeans()'s bits: euclidean, spherical, and an init whose far centroid
** empties a cluster at once. */
static void test_kmeans_same_bits(void **state)
{
    (void)state;
    const int64_t n = 2 * GK_CROSS_BLOCK + 500, d = 12;
    gk_mat *x = gauss(n, d, 11), *init = gauss(4, d, 12);
    for (int64_t i = 0; i < n; i++) x->data[i * d + i % 3] += 3.0f; /* three groups */
    for (int64_t l = 0; l < d; l++) init->data[3 * d + l] = 50.0f;
    for (int t = 0; t < 3; t++) {
        gk_kmeans_opts o = gk_kmeans_opts_default();
        o.k = 4, o.n_init = 3, o.seed = 5, o.spherical = t == 1, o.init = t == 2 ? init : NULL;
        o.init_sample = t == 0 ? 600 : 0; /* a seeded subset, then every row */
        gk_kmeans_result *a, *b;
        assert_gk_ok(gk_kmeans(x, &o, &a));
        assert_gk_ok(gk_dist_kmeans(x, &o, &b));
        assert_true(a->inertia == b->inertia);
        assert_int_equal(a->n_iter, b->n_iter);
        assert_int_equal(a->best_init, b->best_init);
        assert_int_equal(a->n_restarts, b->n_restarts);
        assert_memory_equal(a->centroids, b->centroids, (size_t)(4 * d) * sizeof(float));
        assert_memory_equal(a->assign, b->assign, (size_t)n * sizeof(int32_t));
        assert_memory_equal(a->restart_assign, b->restart_assign,
                            (size_t)(a->n_restarts * n) * sizeof(int32_t));
        gk_kmeans_result_free(a), gk_kmeans_result_free(b);
    }
    gk_mat_free(x), gk_mat_free(init);
}

/* The ring's merge in one process: the gallery cut into parts at multiples
** of GK_CROSS_BLOCK and fed LAST part first gives the lists of
** gk_knn_graph() (the heaps compare (key, global row) in full).  A grid of
** small integers makes exact key ties frequent, so the tie rule is tested. */
static void test_knn_parts_any_order(void **state)
{
    (void)state;
    const int64_t n = 2 * GK_CROSS_BLOCK + 700, d = 3, k = 12, cut[] = {0, 4096, 8192, n};
    gk_mat *x;
    assert_gk_ok(gk_mat_create(n, d, &x));
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < d; j++)
            x->data[i * d + j] = (float)((i * 7 + j * 3 + i / 23) % 29);
    for (int64_t i = 0; i < n; i++) x->data[i * d] += (float)i / 4096.0f; /* distinct rows */
    for (int dist = GK_DIST_EUCLIDEAN; dist <= GK_DIST_L1; dist++) {
        gk_knn *idx;
        assert_gk_ok(gk_knn_create(x, (gk_distance)dist, &idx));
        assert_null(idx->copies); /* distinct rows, as the ring requires */
        int64_t *want = malloc((size_t)(n * k) * sizeof *want);
        int64_t *got = malloc((size_t)(n * k) * sizeof *got);
        float *hk;
        assert_gk_ok(gk_knn_graph(idx, k, want, NULL));
        assert_gk_ok(knn_topk_start(n, k, &hk, got));
        for (int p = 2; p >= 0; p--) {
            gk_knn part = *idx;
            part.g = gk_mat_view_rows(x, cut[p], cut[p + 1] - cut[p]);
            part.nd = part.g.rows, part.drow = part.cstart = part.copies = NULL;
            assert_gk_ok(knn_topk_feed(&part, x, k, cut[p], 0, 1, hk, got));
        }
        knn_topk_sort(n, k, hk, got);
        assert_memory_equal(want, got, (size_t)(n * k) * sizeof *got);
        int64_t *ids = malloc((size_t)(n * k) * sizeof *ids); /* one rank: the same lists */
        assert_gk_ok(gk_dist_knn(x, (gk_distance)dist, NULL, k, ids, NULL));
        assert_memory_equal(want, ids, (size_t)(n * k) * sizeof *ids);
        gk_free(hk), free(want), free(got), free(ids);
        gk_knn_free(idx);
    }
    gk_mat_free(x);
}

/* The global duplicate table numbers the rows as one process does
** (knn_find_copies: distinct rows by first copy, copies grouped ascending),
** and its distinct rows cut at multiples of GK_CROSS_BLOCK and fed LAST
** part first, each part standing for its copies, give the lists of
** gk_knn_graph() and gk_knn_query() bit for bit: the ring's search on a
** gallery with copies (a third of the rows repeat another row, an
** all-equal block across a block boundary, a grid of ties). */
static void test_knn_copies_parts_any_order(void **state)
{
    (void)state;
    const int64_t n = 2 * GK_CROSS_BLOCK + 700, d = 3, k = 12, nq = 300;
    gk_mat *x, *q;
    assert_gk_ok(gk_mat_create(n, d, &x));
    assert_gk_ok(gk_mat_create(nq, d, &q));
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < d; j++)
            x->data[i * d + j] = (float)((i * 7 + j * 3 + i / 23) % 29) + (float)i / 8192.0f;
    for (int64_t i = 0; i < n; i += 3) /* a third of the rows: copies, earlier or later */
        memcpy(x->data + i * d, x->data + ((i * 2654435761u) % n) * d, (size_t)d * sizeof(float));
    for (int64_t i = 4000; i < 4300; i++) memcpy(x->data + i * d, x->data + 4000 * d, d * 4);
    for (int64_t i = 0; i < nq * d; i++) q->data[i] = x->data[(i * 5) % (n * d)];
    dist_copies t;
    assert_gk_ok(dist_copies_build(x, n, 1, &t));
    for (int dist = GK_DIST_EUCLIDEAN; dist <= GK_DIST_L1; dist++) {
        gk_knn *idx;
        assert_gk_ok(gk_knn_create(x, (gk_distance)dist, &idx));
        assert_non_null(idx->copies);
        assert_int_equal(t.nd, idx->nd);
        assert_true(t.nd > GK_CROSS_BLOCK); /* two parts */
        assert_memory_equal(t.cstart, idx->cstart, (size_t)(t.nd + 1) * sizeof *t.cstart);
        assert_memory_equal(t.copies, idx->copies, (size_t)n * sizeof *t.copies);
        for (int64_t c = 0; c < t.nd; c++) {
            assert_int_equal(t.dc[idx->drow[c]], c);
            assert_memory_equal(t.rows.data + c * d, x->data + idx->drow[c] * d, d * 4);
        }
        const int64_t cut[] = {0, GK_CROSS_BLOCK, t.nd};
        for (int self = 1; self >= 0; self--) {
            const gk_mat *qq = self ? x : q;
            const int64_t m = qq->rows;
            int64_t *want = malloc((size_t)(m * k) * sizeof *want);
            int64_t *got = malloc((size_t)(m * k) * sizeof *got);
            float *hk;
            if (self) assert_gk_ok(gk_knn_graph(idx, k, want, NULL));
            else assert_gk_ok(gk_knn_query(idx, q, k, want, NULL));
            assert_gk_ok(knn_topk_start(m, k, &hk, got));
            for (int p = 1; p >= 0; p--) {
                gk_knn part = *idx;
                part.g = gk_mat_view_rows(&t.rows, cut[p], cut[p + 1] - cut[p]);
                part.nd = part.g.rows, part.drow = NULL;
                part.cstart = t.cstart + cut[p], part.copies = t.copies;
                assert_gk_ok(knn_topk_feed(&part, qq, k, 0, 0, self, hk, got));
            }
            knn_topk_sort(m, k, hk, got);
            assert_memory_equal(want, got, (size_t)(m * k) * sizeof *got);
            gk_free(hk), free(want), free(got);
        }
        gk_knn_free(idx);
    }
    dist_copies_free(&t);
    gk_mat_free(x), gk_mat_free(q);
}

/* Gap diagnostics from block parts: every field of one process, bit for bit
** (the classifier is refused). */
static void test_gap_same_bits(void **state)
{
    (void)state;
    gk_mat *x = gauss(2 * GK_CROSS_BLOCK + 333, 12, 11), *y = gauss(2 * GK_CROSS_BLOCK + 333, 12, 12);
    for (int64_t i = 0; i < x->rows * 12; i++) y->data[i] += 0.7f * x->data[i] + 0.3f;
    gk_gap_opts o = gk_gap_opts_default();
    gk_gap_result *r1, *r2;
    assert_int_equal(gk_dist_gap(x, y, &o, &r2), GK_EARG); /* separability: refused */
    o.separability = 0;
    assert_gk_ok(gk_gap_diagnose(x, y, &o, &r1));
    assert_gk_ok(gk_dist_gap(x, y, &o, &r2));
    const double a1[] = {r1->gap, r1->rmg, r1->cone_x, r1->cone_y, r1->cos_true,
                         r1->cos_nonpair, r1->mean_term, r1->centred_true, r1->norm_mean_x,
                         r1->erank_x, r1->erank_y, r1->pr_x, r1->pr_y, r1->w2_uniformity};
    const double a2[] = {r2->gap, r2->rmg, r2->cone_x, r2->cone_y, r2->cos_true,
                         r2->cos_nonpair, r2->mean_term, r2->centred_true, r2->norm_mean_x,
                         r2->erank_x, r2->erank_y, r2->pr_x, r2->pr_y, r2->w2_uniformity};
    assert_memory_equal(a1, a2, sizeof a1);
    assert_memory_equal(r1->gap_vector, r2->gap_vector, 12 * sizeof(double));
    assert_memory_equal(r1->angles, r2->angles, (size_t)r1->subspace_k * sizeof(double));
    assert_memory_equal(r1->pc_share, r2->pc_share, (size_t)r1->n_pc * sizeof(double));
    assert_memory_equal(r1->top_m_share, r2->top_m_share, sizeof r1->top_m_share);
    gk_gap_result_free(r1), gk_gap_result_free(r2);
    gk_mat_free(x), gk_mat_free(y);
}

/* a1 and a2 map every view's rows to the same bits. */
static void assert_same_maps(const gk_align *a1, const gk_align *a2, const gk_mat *const *v,
                             int M)
{
    for (int side = 0; side < M; side++) {
        gk_mat *o1, *o2;
        assert_gk_ok(gk_align_apply(a1, side, v[side], &o1));
        assert_gk_ok(gk_align_apply(a2, side, v[side], &o2));
        assert_int_equal(o1->cols, o2->cols);
        assert_memory_equal(o1->data, o2->data, (size_t)(o1->rows * o1->cols) * sizeof(float));
        gk_mat_free(o1), gk_mat_free(o2);
    }
}

/* align fit from block sums (and projdec from all rows): the rows it maps
** are those of gk_align_fit, bit for bit, for two and three views (y has
** copies of rows, which projdec keeps once); comet's k rule is refused. */
static void test_align_same_bits(void **state)
{
    (void)state;
    const int64_t n = GK_CROSS_BLOCK + 500;
    gk_mat *x = gauss(n, 9, 13), *y = gauss(n, 9, 14), *z = gauss(n, 9, 15);
    for (int64_t i = 0; i < n * 9; i++) y->data[i] += 0.5f * x->data[i] + 0.2f;
    for (int64_t i = 0; i < n * 9; i++) z->data[i] += 0.3f * x->data[i] - 0.4f * y->data[i];
    memcpy(y->data + 4000 * 9, y->data, 300 * 9 * sizeof(float)); /* copies across blocks */
    const gk_mat *v[3] = {x, y, z};
    const char *methods[] = {"procrustes", "shift:lambda=0.5", "ablate:m=3", "comet:k=4",
                             "cca:k=4,ridge=0.01", "projdec:temp=20", "projdec:topk=3"};
    for (int M = 2; M <= 3; M++)
        for (int m = 0; m < 7; m++) {
            gk_align_opts o;
            gk_align *a1, *a2;
            assert_gk_ok(gk_align_parse(methods[m], &o));
            assert_gk_ok(gk_align_fit(&o, v, M, &a1));
            assert_gk_ok(gk_dist_align_fit(&o, v, M, &a2));
            assert_same_maps(a1, a2, v, M);
            gk_align_free(a1), gk_align_free(a2);
        }
    gk_align_opts o;
    gk_align *a = NULL;
    assert_gk_ok(gk_align_parse("comet:k=auto", &o));
    assert_int_equal(gk_dist_align_fit(&o, v, 2, &a), GK_EARG);
    assert_null(a);
    gk_mat_free(x), gk_mat_free(y), gk_mat_free(z);
}

/* The ring's rank count in one process: knn_ranks_part over gallery parts
** (any order), 1 + the rows ahead, equals gk_knn_ranks over the whole
** gallery, on small integer rows whose inner products tie everywhere and
** which repeat (the order is (distance, global row)). */
static void test_ranks_parts(void **state)
{
    (void)state;
    const int64_t n = GK_CROSS_BLOCK + 900, d = 3, cut[] = {0, GK_CROSS_BLOCK, n};
    gk_mat *g, *q;
    assert_gk_ok(gk_mat_create(n, d, &g));
    assert_gk_ok(gk_mat_create(n, d, &q));
    for (int64_t i = 0; i < n * d; i++) {
        g->data[i] = (float)((i * 7 + i / 5) % 3);
        q->data[i] = (float)((i * 5 + i / 7) % 3);
    }
    int64_t *tstart = malloc((size_t)(n + 1) * sizeof *tstart), *targets = malloc((size_t)n * 8);
    int64_t *want = malloc((size_t)n * 8), *ahead = calloc((size_t)n, 8);
    double *tdist = malloc((size_t)n * sizeof *tdist);
    float qp[3];
    gk_knn *idx, *part;
    assert_gk_ok(gk_knn_create(g, GK_DIST_IP, &idx));
    for (int64_t i = 0; i <= n; i++) tstart[i] = i;
    for (int64_t i = 0; i < n; i++) {
        targets[i] = (i * 37) % n; /* true matches anywhere in the gallery */
        knn_prep_row(idx, q, i, qp);
        tdist[i] = knn_exact_dist(idx, qp, targets[i]);
    }
    assert_gk_ok(gk_knn_ranks(idx, q, tstart, targets, want));
    for (int p = 1; p >= 0; p--) {
        gk_mat rows = gk_mat_view_rows(g, cut[p], cut[p + 1] - cut[p]);
        assert_gk_ok(gk_knn_create(&rows, GK_DIST_IP, &part));
        assert_gk_ok(knn_ranks_part(part, q, tstart, targets, tdist, cut[p], ahead));
        gk_knn_free(part);
    }
    for (int64_t i = 0; i < n; i++) assert_int_equal(ahead[i] + 1, want[i]);
    gk_knn_free(idx);
    free(tstart), free(targets), free(want), free(ahead), free(tdist);
    gk_mat_free(g), gk_mat_free(q);
}

/* Retrieval with groups in one process: the ring's two passes (exact
** distances where the true matches live, then the rows ahead), in passes of
** 7 queries / 50 listed matches and in one, equal gk_retrieval_both_ci()
** bit for bit: integer rows whose inner products tie everywhere, X and Y of
** different lengths, a one-row group, queries without a true match on both
** sides; a negative group id is refused. */
static void test_retrieval_groups_same_bits(void **state)
{
    (void)state;
    const int64_t nx = 700, ny = 900, d = 3;
    gk_mat *x, *y;
    assert_gk_ok(gk_mat_create(nx, d, &x));
    assert_gk_ok(gk_mat_create(ny, d, &y));
    for (int64_t i = 0; i < nx * d; i++) x->data[i] = (float)((i * 7 + i / 5) % 3);
    for (int64_t i = 0; i < ny * d; i++) y->data[i] = (float)((i * 5 + i / 7) % 3);
    int32_t gx[700], gy[900];
    for (int64_t i = 0; i < nx; i++) gx[i] = i < nx - 10 ? (int32_t)(i % 60) : (int32_t)(200 + i);
    for (int64_t j = 0; j < ny; j++) gy[j] = (int32_t)((j * 7) % 75); /* 60..74: only in Y */
    gx[0] = gy[ny - 1] = 1000; /* a group of one row on each side */
    gk_boot_opts boot = gk_boot_opts_default();
    boot.B = 50;
    gk_retrieval_result want, got;
    assert_gk_ok(gk_retrieval_both_ci(x, y, gx, gy, NULL, &boot, &want));
    assert_int_equal(want.x2y.n_scored, nx - 10);
    assert_true(want.y2x.n_scored < ny);
    const gk_retrieval_opts small = {7, 50};
    for (int run = 0; run < 2; run++) {
        assert_gk_ok(gk_dist_retrieval(x, y, gx, gy, run ? NULL : &small, NULL, &boot, &got));
        assert_memory_equal(&got.x2y, &want.x2y, sizeof want.x2y);
        assert_memory_equal(&got.y2x, &want.y2x, sizeof want.y2x);
        assert_memory_equal(&got.x2y_ci, &want.x2y_ci, sizeof want.x2y_ci);
        assert_memory_equal(&got.y2x_ci, &want.y2x_ci, sizeof want.y2x_ci);
        assert_string_equal(got.split, "none");
        assert_string_equal(got.transform, "none");
        assert_true(got.has_ci);
    }
    gy[5] = -1;
    assert_int_equal(gk_dist_retrieval(x, y, gx, gy, NULL, NULL, NULL, &got), GK_EARG);
    assert_non_null(strstr(gk_last_error(), "Y group[5] = -1"));
    gk_mat_free(x), gk_mat_free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_range_covers_in_blocks),
        cmocka_unit_test(test_sum_blocks_in_order),
        cmocka_unit_test(test_shard_list_equals_the_file),
        cmocka_unit_test(test_shard_errors_name_shard_and_rank),
        cmocka_unit_test(test_comet_fit_same_bits),
        cmocka_unit_test(test_cka_same_bits),
        cmocka_unit_test(test_nbr_same_bits),
        cmocka_unit_test(test_knn_parts_any_order),
        cmocka_unit_test(test_knn_copies_parts_any_order),
        cmocka_unit_test(test_kmeans_same_bits),
        cmocka_unit_test(test_gap_same_bits),
        cmocka_unit_test(test_align_same_bits),
        cmocka_unit_test(test_ranks_parts),
        cmocka_unit_test(test_retrieval_groups_same_bits),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
