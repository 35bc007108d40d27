/*
** train_opts.c — defaults and names of the training options (train.h).
*/
#include <string.h>

#include "core/error_internal.h"
#include "train_internal.h"

gk_train_opts gk_train_opts_default(gk_loss_kind loss)
{
    gk_train_opts o;
    memset(&o, 0, sizeof o);
    o.loss = loss;
    o.head = GK_HEAD_LINEAR;
    o.dim = 512;
    o.epochs = 20;
    o.batch = 256;
    o.lr = 1e-3;
    o.warmup = 0.1;
    o.weight_decay = 0.01;
    o.seed = 0;
    o.temperature = loss == GK_LOSS_MODGAP ? 0.1 : 0.07;
    o.soft_beta = 0.3;
    o.schedule = 1;
    o.alpha = o.beta = 1.0;
    o.anchor = -1;
    o.shuffle = 1;
    o.early_stop = GK_METRIC_NONE;
    o.patience = 5;
    o.row_block = 256;
    return o;
}

static const char *const head_names[] = {"linear", "mlp"};
static const char *const loss_names[] = {"infonce", "softclap", "modgap"};
static const char *const metric_names[] = {"none", "loss", "r1"};

static int find(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

int gk_head_kind_parse(const char *s, gk_head_kind *out)
{
    int i = find(s, head_names, 2);
    GK_FAIL_IF(i < 0, GK_EARG, "train: head '%s'; expected linear or mlp", s ? s : "");
    *out = (gk_head_kind)i;
    return GK_OK;
}

int gk_loss_kind_parse(const char *s, gk_loss_kind *out)
{
    int i = find(s, loss_names, 3);
    GK_FAIL_IF(i < 0, GK_EARG, "train: loss '%s'; expected infonce, softclap or modgap",
               s ? s : "");
    *out = (gk_loss_kind)i;
    return GK_OK;
}

int gk_train_metric_parse(const char *s, gk_train_metric *out)
{
    int i = find(s, metric_names, 3);
    GK_FAIL_IF(i < 0, GK_EARG, "train: metric '%s'; expected none, loss or r1", s ? s : "");
    *out = (gk_train_metric)i;
    return GK_OK;
}

const char *gk_head_kind_name(gk_head_kind k) { return (unsigned)k < 2 ? head_names[k] : "?"; }
const char *gk_loss_kind_name(gk_loss_kind k) { return (unsigned)k < 3 ? loss_names[k] : "?"; }
