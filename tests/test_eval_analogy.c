/*
** test_eval_analogy.c — word analogies (eval.h): the question parser, the
** deduplicated pairs of a section, 3CosAdd / 3CosMul on a hand-made space
** whose answers are known, thread independence, and the counts on
** ../shared/data (GloVe 6B 100d, Google questions): 10032 of 15276 covered
** questions right with 3CosAdd (../shared/data/README.md), 9704 with
** 3CosMul (tests/reference/analogy_reference.py, numpy float64), per-section
** counts from the same script.
*/
#include "test_util.h"

static gk_analogy_questions *parse(const char *text)
{
    gk_analogy_questions *q;
    assert_gk_ok(gk_analogy_read_mem(text, strlen(text), "q.txt", &q));
    return q;
}

static void test_parse(void **state)
{
    (void)state;
    gk_analogy_questions *q = parse("x y z w\n: First\nA b  C d\r\n\n: second-one\ne\tf g h");
    assert_int_equal(q->n, 3);
    assert_int_equal(q->n_sections, 3);
    assert_string_equal(q->section[0], "");
    assert_string_equal(q->section[1], "first");
    assert_string_equal(q->section[2], "second-one");
    assert_int_equal(q->sec[1], 1);
    assert_string_equal(q->word[4], "a");
    assert_string_equal(q->word[6], "c");
    assert_string_equal(q->word[7], "d");
    assert_string_equal(q->word[11], "h");
    gk_analogy_questions_free(q);
    gk_analogy_questions_free(NULL);
    const char *bad = ": s\na b c\n";
    assert_int_equal(gk_analogy_read_mem(bad, strlen(bad), "q.txt", &q), GK_EFORMAT);
    assert_error_has("q.txt: line 2: expected 4 words a b c d, found 3");
    assert_null(q);
    assert_int_equal(gk_analogy_read_mem(": only\n", 8, "e.txt", &q), GK_EFORMAT);
    assert_error_has("no question");
    assert_int_equal(gk_analogy_read("/nonexistent/q.txt", &q), GK_EIO);
    assert_error_has("/nonexistent/q.txt: cannot open");
}

/* Words 0..5 on the plane: man (1,0,…), woman, king, queen built so that
** king − man + woman = queen exactly; plus distractors. */
static void toy_space(gk_mat **W, gk_vocab **v)
{
    static const char *words[] = {"man", "woman", "king", "queen", "apple", "prince"};
    static const float x[6][3] = {{1, 0, 0.2f}, {0, 1, 0.2f}, {1, 0, 1},
                                  {0, 1, 1},    {-1, -1, 0}, {1, 0.1f, 1}};
    assert_gk_ok(gk_mat_create(6, 3, W));
    memcpy((*W)->data, x, sizeof x);
    *v = calloc(1, sizeof **v);
    (*v)->n = 6;
    (*v)->word = malloc(6 * sizeof(char *));
    for (int i = 0; i < 6; i++) (*v)->word[i] = gk_strdup(words[i]);
}

static void vocab_free(gk_vocab *v)
{
    for (int64_t i = 0; i < v->n; i++) gk_free(v->word[i]);
    free(v->word), free(v);
}

static void test_toy(void **state)
{
    (void)state;
    gk_mat *W;
    gk_vocab *v;
    gk_analogy_result *r;
    toy_space(&W, &v);
    gk_analogy_questions *q =
        parse(": royal\nMan Woman King Queen\nman woman king prince\nman woman king unicorn\n"
              ": other\nking queen man woman\n");
    assert_gk_ok(gk_analogy_eval(W, v, q, NULL, &r));
    assert_int_equal(r->n, 4);
    assert_int_equal(r->covered, 3);
    assert_int_equal(r->pred_add[0], 3); /* queen, not king (excluded) */
    assert_int_equal(r->pred_add[1], 3);
    assert_int_equal(r->pred_add[2], -1);
    assert_int_equal(r->sections[0].covered, 2);
    assert_int_equal(r->sections[0].add_correct, 1);
    assert_int_equal(r->sections[1].add_correct, 1);
    assert_int_equal(r->add_correct, 2);
    assert_close(r->coverage, 0.75, 1e-12);
    assert_close(r->add_acc, 2.0 / 3.0, 1e-12);
    /* pairs of "royal": (man, woman), (king, queen), (king, prince) */
    int64_t *f, *s, n;
    assert_gk_ok(gk_analogy_pairs(q, v, 0, &f, &s, &n));
    assert_int_equal(n, 3);
    assert_true(f[0] == 0 && s[0] == 1 && f[1] == 2 && s[1] == 3 && f[2] == 2 && s[2] == 5);
    gk_free(f), gk_free(s);
    assert_int_equal(gk_analogy_pairs(q, v, 2, &f, &s, &n), GK_EARG);
    gk_analogy_result_free(r);
    /* a zero vector has no cosine */
    W->data[4 * 3] = W->data[4 * 3 + 1] = 0;
    assert_int_equal(gk_analogy_eval(W, v, q, NULL, &r), GK_ENUMERIC);
    assert_error_has("'apple' (row 4)");
    gk_analogy_questions_free(q);
    gk_mat_free(W);
    vocab_free(v);
}

static void glove(gk_mat **W, gk_vocab **v, gk_analogy_questions **q)
{
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    assert_gk_ok(gk_load_matrix(shared_path("glove-6b-100d/vectors.npy"), &o, W));
    assert_gk_ok(gk_vocab_read(shared_path("glove-6b-100d/vocab.txt"), v));
    assert_gk_ok(gk_analogy_read(shared_path("analogy/questions-words.txt"), q));
}

static void test_glove_counts(void **state)
{
    (void)state;
    gk_mat *W;
    gk_vocab *v;
    gk_analogy_questions *q;
    gk_analogy_result *r;
    glove(&W, &v, &q);
    assert_gk_ok(gk_analogy_eval(W, v, q, NULL, &r));
    assert_int_equal(r->n, 19544);
    assert_int_equal(r->covered, 15276);
    assert_int_equal(r->add_correct, 10032); /* ../shared/data/README.md */
    assert_int_equal(r->mul_correct, 9704);  /* analogy_reference.py */
    assert_int_equal(r->n_sections, 14);
    /* analogy_reference.py, per section: covered, 3CosAdd, 3CosMul */
    static const int64_t ref[14][3] = {
        {506, 477, 467},  {2842, 2547, 2451}, {268, 49, 56},     {2203, 691, 616},
        {380, 332, 328},  {930, 206, 212},    {420, 100, 80},    {1332, 1068, 1037},
        {702, 440, 446},  {930, 655, 640},    {1445, 1371, 1346}, {1560, 866, 831},
        {1056, 823, 781}, {702, 407, 413}};
    for (int s = 0; s < 14; s++) {
        assert_int_equal(r->sections[s].covered, ref[s][0]);
        assert_int_equal(r->sections[s].add_correct, ref[s][1]);
        assert_int_equal(r->sections[s].mul_correct, ref[s][2]);
    }
    assert_string_equal(r->sections[13].name, "gram9-plural-verbs");
    char *json;
    assert_gk_ok(gk_analogy_to_json(r, &json));
    assert_non_null(strstr(json, "\"correct\": 10032"));
    gk_free(json);
    gk_analogy_result_free(r);
    gk_analogy_questions_free(q);
    gk_mat_free(W);
    gk_vocab_free(v);
}

/* The first `lines` lines of the questions file (5899: sections 1-3). */
static gk_analogy_questions *questions_head(int lines)
{
    FILE *f = fopen(shared_path("analogy/questions-words.txt"), "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    size_t len = 0;
    for (int l = 0; l < lines && fgets(buf + len, (int)((1 << 20) - len), f); l++)
        len += strlen(buf + len);
    fclose(f);
    gk_analogy_questions *q;
    assert_gk_ok(gk_analogy_read_mem(buf, len, "head", &q));
    free(buf);
    return q;
}

static void test_thread_independent(void **state)
{
    (void)state;
    gk_mat *W;
    gk_vocab *v;
    gk_analogy_questions *all, *q = questions_head(5899);
    gk_analogy_result *r[2];
    glove(&W, &v, &all);
    gk_analogy_opts o = gk_analogy_opts_default();
    o.block_words = 37;
    for (int t = 0; t < 2; t++) {
        gk_set_threads(t + 1);
        assert_gk_ok(gk_analogy_eval(W, v, q, &o, &r[t]));
    }
    gk_set_threads(0);
    assert_int_equal(r[0]->n_sections, 3);
    assert_memory_equal(r[0]->pred_add, r[1]->pred_add, (size_t)q->n * sizeof(int64_t));
    assert_memory_equal(r[0]->pred_mul, r[1]->pred_mul, (size_t)q->n * sizeof(int64_t));
    /* the blocks do not change the answers: the first three sections' counts */
    assert_int_equal(r[0]->sections[0].add_correct, 477);
    assert_int_equal(r[0]->sections[1].add_correct, 2547);
    assert_int_equal(r[0]->sections[2].add_correct, 49);
    assert_int_equal(r[0]->sections[2].mul_correct, 56);
    gk_analogy_result_free(r[0]), gk_analogy_result_free(r[1]);
    gk_analogy_questions_free(q), gk_analogy_questions_free(all);
    gk_mat_free(W);
    gk_vocab_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_toy),
        cmocka_unit_test(test_glove_counts),
        cmocka_unit_test(test_thread_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
