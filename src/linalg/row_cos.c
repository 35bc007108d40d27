/*
** row_cos.c — gk_row_cos(): the cosine of two matrix rows in double, for the
** modules that need a few exact cosines (class prompts, curated pairs)
** rather than a whole product.
*/
#include <math.h>

#include "linalg_internal.h"

double gk_row_cos(const gk_mat *A, int64_t i, const gk_mat *B, int64_t j)
{
    double s = 0, aa = 0, bb = 0;
    for (int64_t d = 0; d < A->cols; d++) {
        const double a = gk_mat_at(A, i, d), b = gk_mat_at(B, j, d);
        s += a * b;
        aa += a * a;
        bb += b * b;
    }
    return s / (sqrt(aa) * sqrt(bb)); /* not sqrt(aa·bb): no overflow for huge rows */
}
