/*
** struct_sizes.c — prints "PythonName gk_name sizeof" for every public
** struct the Python package mirrors with ctypes (python/gapkit/_ffi.py), so
** that python/tests/test_struct_sizes.py can check that no ctypes mirror has
** drifted from its C struct (a field added in C and not in Python shifts
** every field after it, or shrinks a struct returned by value).
*/
#include <stdio.h>

#include "gapkit/gapkit.h"

#define SIZE(py, c) {#py, #c, sizeof(c)}

static const struct {
    const char *py, *c;
    size_t size;
} sizes[] = {
    SIZE(Mat, gk_mat),
    SIZE(Labels, gk_labels),
    SIZE(LoadOpts, gk_load_opts),
    SIZE(GapOpts, gk_gap_opts),
    SIZE(CometTerms, gk_comet_terms),
    SIZE(CometDissection, gk_comet_dissection),
    SIZE(KSpec, gk_kspec),
    SIZE(NbrResult, gk_nbr_result),
    SIZE(Tas, gk_tas),
    SIZE(CkaOpts, gk_cka_opts),
    SIZE(CkaResult, gk_cka_result),
    SIZE(AlignOpts, gk_align_opts),
    SIZE(BootOpts, gk_boot_opts),
    SIZE(Ci, gk_ci),
    SIZE(SplitSpec, gk_split_spec),
    SIZE(Split, gk_split),
    SIZE(RetrievalMetrics, gk_retrieval_metrics),
    SIZE(RetrievalCi, gk_retrieval_ci),
    SIZE(RetrievalResult, gk_retrieval_result),
    SIZE(ScoreOpts, gk_score_opts),
    SIZE(ZeroshotResult, gk_zeroshot_result),
    SIZE(ZeroshotFolds, gk_zeroshot_folds),
    SIZE(KmeansOpts, gk_kmeans_opts),
    SIZE(LogregOpts, gk_logreg_opts),
    SIZE(GroupOpts, gk_group_opts),
    SIZE(ClusterScores, gk_cluster_scores),
    SIZE(GroupResult, gk_group_result),
    SIZE(Joint, gk_joint),
    SIZE(CompareInput, gk_compare_input),
    SIZE(TrainOpts, gk_train_opts),
    SIZE(CompareOpts, gk_compare_opts),
    SIZE(CompareVs, gk_compare_vs),
    SIZE(AnalyzeInput, gk_analyze_input),
    SIZE(AnalyzeOpts, gk_analyze_opts),
    SIZE(TrainData, gk_train_data),
    SIZE(TrainEpoch, gk_train_epoch),
    SIZE(TrainResult, gk_train_result),
    SIZE(CurateOpts, gk_curate_opts),
    SIZE(CurateResult, gk_curate_result),
    SIZE(Separability, gk_separability),
    SIZE(LeakageOpts, gk_leakage_opts),
    SIZE(LeakageGain, gk_leakage_gain),
    SIZE(LeakageResult, gk_leakage_result),
};

int main(void)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        printf("%s %s %zu\n", sizes[i].py, sizes[i].c, sizes[i].size);
    return 0;
}
