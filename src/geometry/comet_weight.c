/*
** comet_weight.c — the names of COMET's coefficient weights (none, align,
** corr), shared by every parser and report of a weight.
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/comet.h"

static const char *const names[3] = {"none", "align", "corr"};

int gk_comet_weight_parse(const char *s, gk_comet_weight *w)
{
    for (int i = 0; s && w && i < 3; i++)
        if (!strcmp(s, names[i])) {
            *w = (gk_comet_weight)i;
            return GK_OK;
        }
    return gk_set_error(GK_EARG, "weight '%s'; expected none, align or corr", s ? s : "(null)");
}

const char *gk_comet_weight_name(gk_comet_weight w)
{
    return (unsigned)w < 3 ? names[w] : "?";
}
