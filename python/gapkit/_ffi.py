"""The one place where libgapkit's C functions are declared for ctypes.

Every C function the package calls is listed in PROTOTYPES below, with its
argument and result types; the C structs it passes are mirrored here too.  A
renamed C function is a one-line change in this file.  Only public gk_
functions of include/gapkit/*.h are bound.

ctypes.CDLL releases the GIL for the duration of every foreign call, so other
Python threads run while the library works.
"""
import ctypes as C
import os
import pathlib

i32, i64, u64, f64, f32 = C.c_int32, C.c_int64, C.c_uint64, C.c_double, C.c_float
P = C.POINTER
char_p = C.c_char_p


# ----  structs (layouts of include/gapkit/*.h)  ----

class Mat(C.Structure):  # gk_mat (matrix.h)
    _fields_ = [("data", P(f32)), ("rows", i64), ("cols", i64), ("rs", i64), ("cs", i64),
                ("store", C.c_void_p)]


class Labels(C.Structure):  # gk_labels (io.h)
    _fields_ = [("n", i64), ("id", P(i32)), ("n_classes", i32), ("name", P(char_p))]


class LoadOpts(C.Structure):  # gk_load_opts (io.h)
    _fields_ = [("normalize", C.c_int), ("allow_mmap", C.c_int), ("allow_nonfinite", C.c_int)]


class GapOpts(C.Structure):  # gk_gap_opts (gap.h)
    _fields_ = [("top_m", i64 * 16), ("n_top_m", C.c_int), ("n_pc", i64), ("subspace_k", i64),
                ("separability", C.c_int), ("cv_folds", C.c_int), ("sep_cap", i64),
                ("sep_lambda", f64), ("seed", u64)]


class CometTerms(C.Structure):  # gk_comet_terms (comet.h)
    _fields_ = [(n, f64) for n in ("total", "mean", "mean_coef", "direct", "cross", "residual")]


class CometDissection(C.Structure):  # gk_comet_dissection (comet.h)
    _fields_ = [("n", i64), ("k", i64), ("head", i64), ("pos_all", CometTerms),
                ("neg_all", CometTerms), ("pos_head", CometTerms), ("neg_head", CometTerms)]


class KSpec(C.Structure):  # gk_kspec (nngs.h)
    _fields_ = [("k", i64), ("frac", f64)]


class NbrResult(C.Structure):  # gk_nbr_result (nngs.h)
    _fields_ = [("kind", C.c_int), ("measure", C.c_char * 24), ("estimator", C.c_char * 480),
                ("n", i64), ("dx", i64), ("dy", i64), ("k", i64), ("k_frac", f64),
                ("distance", C.c_int), ("value", f64), ("raw", f64), ("chance", f64),
                ("hsic_xy", f64), ("hsic_xx", f64), ("hsic_yy", f64), ("sampled_rows", i64),
                ("ci_lo", f64), ("ci_hi", f64)]


class Tas(C.Structure):  # gk_tas (nngs.h)
    _fields_ = [("n", i64), ("len", i64), ("distance", C.c_int), ("raw", P(f64)),
                ("normalized", P(f64)), ("mean_normalized", f64)]


class CkaOpts(C.Structure):  # gk_cka_opts (cka.h)
    _fields_ = [("sigma_factor", f64), ("rbf_unbiased", C.c_int), ("max_n", i64),
                ("svcca_variance", f64), ("svcca_dims", i64)]


class CkaResult(C.Structure):  # gk_cka_result (cka.h)
    _fields_ = [("kind", C.c_int), ("measure", C.c_char * 24), ("estimator", C.c_char * 256),
                ("n", i64), ("dx", i64), ("dy", i64), ("value", f64),
                ("hsic_xy", f64), ("hsic_xx", f64), ("hsic_yy", f64),
                ("sigma_factor", f64), ("sigma_x", f64), ("sigma_y", f64),
                ("median_x", f64), ("median_y", f64), ("variance", f64),
                ("kx", i64), ("ky", i64), ("kept_x", f64), ("kept_y", f64),
                ("n_rho", i64), ("rho", P(f64)), ("distance", f64), ("angle", f64)]


class AlignOpts(C.Structure):  # gk_align_opts (align.h)
    _fields_ = [("method", C.c_int), ("anchor", C.c_int), ("lambda_", f64), ("m", i64),
                ("k", i64), ("k_rule", C.c_int), ("ridge", f64), ("weight", C.c_int),
                ("temperature", f64), ("topk", i64), ("permutations", C.c_int),
                ("alpha", f64)]


class BootOpts(C.Structure):  # gk_boot_opts (stats.h)
    _fields_ = [("B", C.c_int), ("level", f64), ("seed", u64)]


class Ci(C.Structure):  # gk_ci (stats.h)
    _fields_ = [("value", f64), ("lo", f64), ("hi", f64)]


class SplitSpec(C.Structure):  # gk_split_spec (eval.h)
    _fields_ = [("kind", C.c_int), ("fraction", f64), ("column", C.c_char * 128),
                ("value", C.c_char * 128), ("has_value", C.c_int)]


class Split(C.Structure):  # gk_split (eval.h)
    _fields_ = [("n", i64), ("n_train", i64), ("n_test", i64), ("train", P(i64)),
                ("test", P(i64)), ("n_classes", i32), ("test_class", P(C.c_uint8)),
                ("n_test_classes", i32), ("desc", C.c_char * 256)]


class RetrievalMetrics(C.Structure):  # gk_retrieval_metrics (eval.h)
    _fields_ = [("n_queries", i64), ("n_gallery", i64), ("n_scored", i64)] + \
        [(n, f64) for n in ("r1", "r5", "r10", "map10", "map", "medr", "meanr")]


class RetrievalCi(C.Structure):  # gk_retrieval_ci (eval.h)
    _fields_ = [(n, Ci) for n in ("r1", "r5", "r10", "map10", "map", "medr", "meanr")]


class RetrievalResult(C.Structure):  # gk_retrieval_result (eval.h)
    _fields_ = [("x2y", RetrievalMetrics), ("y2x", RetrievalMetrics),
                ("split", C.c_char * 256), ("transform", C.c_char * 256),
                ("has_ci", C.c_int), ("x2y_ci", RetrievalCi), ("y2x_ci", RetrievalCi),
                ("boot", BootOpts), ("dedup", C.c_int), ("merged_x", i64), ("merged_y", i64)]


class ScoreOpts(C.Structure):  # gk_score_opts (eval.h)
    _fields_ = [("intervals", C.c_int), ("boot", BootOpts), ("keep_copies", C.c_int)]


class ZeroshotResult(C.Structure):  # gk_zeroshot_result (eval.h)
    _fields_ = [("n", i64), ("n_classes", i32), ("top1", f64), ("top5", f64),
                ("mean_class_acc", f64), ("class_acc", P(f64)), ("class_n", P(i64)),
                ("confusion", P(i64)), ("pred", P(i32)), ("class_id", P(i32)),
                ("split", C.c_char * 256), ("transform", C.c_char * 256),
                ("true_rank", P(i32)), ("has_ci", C.c_int), ("top1_ci", Ci), ("top5_ci", Ci),
                ("boot", BootOpts), ("dedup", C.c_int), ("merged", i64)]


class ZeroshotFolds(C.Structure):  # gk_zeroshot_folds (eval.h), the leading fields
    _fields_ = [("n_folds", i64), ("column", C.c_char * 128), ("value", P(char_p)),
                ("fold", P(P(ZeroshotResult)))]


class KmeansOpts(C.Structure):  # gk_kmeans_opts (eval.h)
    _fields_ = [("k", i64), ("n_init", C.c_int), ("max_iter", C.c_int), ("tol", f64),
                ("spherical", C.c_int), ("seed", u64), ("init_sample", i64), ("init", P(Mat))]


class LogregOpts(C.Structure):  # gk_logreg_opts (learn.h)
    _fields_ = [("lambda_", f64), ("max_iter", C.c_int), ("tol", f64), ("history", C.c_int)]


class GroupOpts(C.Structure):  # gk_group_opts (eval.h)
    _fields_ = [("do_cluster", C.c_int), ("do_knn", C.c_int), ("do_probe", C.c_int),
                ("n_clusters", i64), ("kmeans", KmeansOpts), ("knn_k", i64),
                ("probe_folds", C.c_int), ("probe", LogregOpts), ("seed", u64)]


class ClusterScores(C.Structure):  # gk_cluster_scores (eval.h)
    _fields_ = [("n", i64), ("n_classes", i32), ("n_clusters", i32)] + \
        [(n, f64) for n in ("homogeneity", "completeness", "v_measure", "nmi", "ari",
                            "purity", "mutual_info")]


class GroupResult(C.Structure):  # gk_group_result (eval.h)
    _fields_ = [("n_rows", i64), ("n_test_rows", i64), ("n_classes", i32),
                ("n_clusters", i64), ("inertia", f64), ("cluster", ClusterScores),
                ("knn_acc", f64), ("probe_acc", f64), ("probe_sd", f64),
                ("probe_folds", C.c_int), ("n_restarts", C.c_int),
                ("restart_mean", ClusterScores), ("restart_sd", ClusterScores)]


class Joint(C.Structure):  # gk_joint (eval.h)
    _fields_ = [("n", i64), ("rows", P(Mat)), ("label", P(i32)), ("view", P(i32)),
                ("item", P(i64))]


class CompareInput(C.Structure):  # gk_compare_input (eval.h)
    _fields_ = [("n_views", C.c_int), ("views", P(P(Mat))), ("view_names", P(char_p)),
                ("labels", P(i32)), ("n_classes", i32), ("class_names", P(char_p)),
                ("prompts", P(Mat)), ("prompt_view", C.c_int)]


class TrainOpts(C.Structure):  # gk_train_opts (train.h)
    _fields_ = [("loss", C.c_int), ("head", C.c_int), ("dim", i64), ("epochs", C.c_int),
                ("batch", i64), ("lr", f64), ("warmup", f64), ("weight_decay", f64),
                ("dropout", f64), ("seed", u64), ("temperature", f64),
                ("learn_temperature", C.c_int), ("soft_beta", f64), ("schedule", C.c_int),
                ("alpha", f64), ("beta", f64), ("mixup", f64), ("anchor", C.c_int),
                ("shuffle", C.c_int), ("early_stop", C.c_int), ("patience", C.c_int),
                ("row_block", i64)]


class CompareOpts(C.Structure):  # gk_compare_opts (eval.h)
    _fields_ = [("split", P(Split)), ("groups", GroupOpts), ("seed", u64), ("boot", BootOpts),
                ("n_perm", C.c_int), ("alpha", f64), ("heads", P(TrainOpts)), ("n_heads", C.c_int),
                ("versus", C.c_void_p), ("n_versus", C.c_int)]  # gk_compare_vs (n_versus,)


class CompareVs(C.Structure):  # gk_compare_vs (compare.h)
    _fields_ = [("a", C.c_char * 128), ("b", C.c_char * 128)]


class AnalyzeInput(C.Structure):  # gk_analyze_input (analyze.h)
    _fields_ = [("n_views", C.c_int), ("views", P(P(Mat))), ("view_names", P(char_p)),
                ("view_paths", P(char_p)), ("labels", P(i32)), ("n_classes", i32),
                ("class_names", P(char_p)), ("labels_path", char_p), ("prompts", P(Mat)),
                ("prompt_view", C.c_int), ("prompts_path", char_p),
                ("fold_values", P(char_p))]


class AnalyzeOpts(C.Structure):  # gk_analyze_opts (analyze.h)
    _fields_ = [("split", SplitSpec), ("seed", u64), ("n_perm", C.c_int), ("alpha", f64),
                ("n_null", C.c_int), ("distance", C.c_int), ("max_points", i64),
                ("spectrum_max_n", i64),
                ("sweep_steps", C.c_int), ("n_top", C.c_int), ("heads", P(TrainOpts)),
                ("n_heads", C.c_int), ("versus", C.c_void_p), ("n_versus", C.c_int)]


class TrainData(C.Structure):  # gk_train_data (train.h)
    _fields_ = [("views", P(P(Mat))), ("n_views", C.c_int), ("rows", P(i64)),
                ("n_items", i64), ("teacher", P(P(Mat))), ("train", P(i64)), ("n_train", i64),
                ("val", P(i64)), ("n_val", i64), ("init", C.c_void_p)]


class TrainEpoch(C.Structure):  # gk_train_epoch (train.h)
    _fields_ = [("epoch", C.c_int)] + \
        [(n, f64) for n in ("loss", "nce", "soft", "atp", "cu", "alpha", "beta", "lr",
                            "logit_scale", "val_loss", "val_r1", "seconds")]


class TrainResult(C.Structure):  # gk_train_result (train.h)
    _fields_ = [("heads", C.c_void_p), ("curve", P(TrainEpoch)), ("n_epochs", C.c_int),
                ("best_epoch", C.c_int), ("stop", C.c_int), ("message", C.c_char * 256)]


class CurateOpts(C.Structure):  # gk_curate_opts (curate.h)
    _fields_ = [("mode", C.c_int), ("tau", f64), ("k", i64), ("targets", P(Mat)),
                ("target_class", P(i32)), ("n_target_classes", i32), ("tau_target", f64),
                ("augment", C.c_int), ("audio_class", P(i32))]


class CurateResult(C.Structure):  # gk_curate_result (curate.h)
    _fields_ = [("n_pairs", i64), ("audio", P(i64)), ("text", P(i64)), ("score", P(f64)),
                ("n_audio", i64), ("n_text", i64), ("n_text_passed", i64),
                ("audio_covered", i64), ("text_covered", i64), ("hist", i64 * 40),
                ("n_target_classes", i32), ("text_class", P(i32)),
                ("text_target_cos", P(f64)), ("class_pairs", P(i64)), ("n_labelled", i64),
                ("n_label_match", i64)]


class Separability(C.Structure):  # gk_separability (leakage.h)
    _fields_ = [(n, f64) for n in ("knn_acc", "probe_acc", "probe_sd", "ncc_acc",
                                   "silhouette", "fisher")]


class LeakageOpts(C.Structure):  # gk_leakage_opts (leakage.h)
    _fields_ = [("seed", u64), ("n_boot", C.c_int), ("class_fraction", f64),
                ("item_split", P(Split)), ("fit", P(AlignOpts)), ("model", C.c_void_p),
                ("backbone", P(Mat)),
                ("nngs_k", KSpec)]


class LeakageGain(C.Structure):  # gk_leakage_gain (leakage.h)
    _fields_ = [("n_test", i64), ("n_classes", i32)] + \
        [(n, f64) for n in ("base", "with_", "gain", "lo", "hi")] + \
        [("split", C.c_char * 256), ("transform", C.c_char * 256)]


class LeakageResult(C.Structure):  # gk_leakage_result (leakage.h)
    _fields_ = [("n", i64), ("n_classes", i32), ("zs_top1", f64), ("items", Separability),
                ("prompt_cos_mean", f64), ("prompt_cos_max", f64), ("max_a", i32),
                ("max_b", i32), ("prompt_nn_cos", f64), ("margin_mean", f64),
                ("margin_median", f64), ("inherited_share", f64), ("zs_only", f64),
                ("has_transform", C.c_int), ("item_gain", LeakageGain),
                ("class_gain", LeakageGain), ("has_backbone", C.c_int), ("backbone_dim", i64),
                ("backbone", Separability), ("nngs", NbrResult)]


PROGRESS_FN = C.CFUNCTYPE(None, C.c_void_p, char_p, i64, i64)  # gk_progress_fn

vp = C.c_void_p  # opaque handles: gk_comet *, gk_align *, gk_knn *, gk_gap_result *, …
pp = P(vp)
cpp = P(char_p)  # char ** for JSON out-parameters
pM = P(Mat)
ppM = P(P(Mat))
ci = C.c_int

# ----  the prototypes: name -> (restype, argtypes)  ----

PROTOTYPES = {
    # core.h
    "gk_version_string": (char_p, []),
    "gk_strerror": (char_p, [ci]),
    "gk_last_error": (char_p, []),
    "gk_free": (None, [vp]),
    "gk_set_threads": (None, [ci]),
    "gk_get_threads": (ci, []),
    "gk_set_progress": (None, [PROGRESS_FN, vp]),
    # matrix.h, io.h
    "gk_mat_free": (None, [pM]),
    "gk_mat_normalize_rows": (ci, [pM]),
    "gk_load_matrix": (ci, [char_p, P(LoadOpts), ppM]),
    "gk_labels_from_strings": (ci, [cpp, i64, P(P(Labels))]),
    "gk_labels_free": (None, [P(Labels)]),
    # gap.h
    "gk_gap_opts_default": (GapOpts, []),
    "gk_gap_diagnose": (ci, [pM, pM, P(GapOpts), pp]),
    "gk_gap_result_free": (None, [vp]),
    "gk_gap_to_json": (ci, [vp, cpp]),
    # comet.h
    "gk_comet_weight_parse": (ci, [char_p, P(ci)]),
    "gk_comet_fit": (ci, [pM, pM, i64, pp]),
    "gk_comet_free": (None, [vp]),
    "gk_comet_apply": (ci, [vp, ci, pM, i64, ci, ppM]),
    "gk_comet_save": (ci, [vp, char_p]),
    "gk_comet_load": (ci, [char_p, pp]),
    "gk_comet_k": (i64, [vp]),
    "gk_comet_rank": (i64, [vp]),
    "gk_comet_numerical_rank": (i64, [vp]),
    "gk_comet_n_fit": (i64, [vp]),
    "gk_comet_dim": (i64, [vp, ci]),
    "gk_comet_sigma": (P(f32), [vp]),
    "gk_comet_align": (P(f32), [vp]),
    "gk_comet_corr": (P(f32), [vp]),
    "gk_comet_mean": (P(f32), [vp, ci]),
    "gk_comet_axes": (P(f32), [vp, ci]),
    "gk_comet_var": (P(f32), [vp, ci, P(f64)]),
    "gk_comet_dissect": (ci, [vp, pM, pM, i64, P(CometDissection)]),
    "gk_comet_permutation_test": (ci, [vp, pM, pM, ci, f64, u64, P(f64), P(i64)]),
    "gk_comet_select_k": (ci, [pM, pM, P(i32), P(i64), ci, ci, u64, ci, P(i64), P(f64)]),
    "gk_comet_to_json": (ci, [vp, P(CometDissection), i64, cpp]),
    # knn.h
    "gk_distance_parse": (ci, [char_p, P(ci)]),
    "gk_knn_create": (ci, [pM, ci, pp]),
    "gk_knn_free": (None, [vp]),
    "gk_knn_graph": (ci, [vp, i64, P(i64), P(f32)]),
    "gk_knn_query": (ci, [vp, pM, i64, P(i64), P(f32)]),
    "gk_knn_summary_to_json": (ci, [vp, i64, ci, i64, P(f32), cpp]),
    # nngs.h
    "gk_kspec_parse": (ci, [char_p, P(KSpec)]),
    "gk_nbr_measure": (ci, [char_p, pM, pM, KSpec, ci, P(NbrResult)]),
    "gk_nbr_to_json": (ci, [P(NbrResult), cpp]),
    "gk_nngs_sweep": (ci, [pM, pM, P(KSpec), ci, ci, P(NbrResult), P(ci)]),
    "gk_nngs_sweep_to_json": (ci, [P(NbrResult), ci, cpp]),
    "gk_nngs_spectrum": (ci, [pM, pM, ci, P(P(Tas))]),
    "gk_tas_free": (None, [P(Tas)]),
    "gk_tas_to_json": (ci, [P(Tas), cpp]),
    # cka.h
    "gk_cka_opts_default": (CkaOpts, []),
    "gk_cka_measure": (ci, [char_p, pM, pM, P(CkaOpts), P(CkaResult)]),
    "gk_cka_result_free": (None, [P(CkaResult)]),
    "gk_cka_to_json": (ci, [P(CkaResult), cpp]),
    # align.h
    "gk_align_parse": (ci, [char_p, P(AlignOpts)]),
    "gk_align_fit": (ci, [P(AlignOpts), ppM, ci, pp]),
    "gk_align_apply": (ci, [vp, ci, pM, ppM]),
    "gk_align_save": (ci, [vp, char_p]),
    "gk_align_load": (ci, [char_p, pp]),
    "gk_align_free": (None, [vp]),
    "gk_align_get_opts": (P(AlignOpts), [vp]),
    "gk_align_set_comet": (ci, [vp, i64, ci]),
    "gk_align_n_views": (ci, [vp]),
    "gk_align_out_dim": (i64, [vp, ci]),
    "gk_align_to_json": (ci, [vp, cpp]),
    # eval.h: splits, transforms, protocols
    "gk_split_parse": (ci, [char_p, P(SplitSpec)]),
    "gk_split_make": (ci, [P(SplitSpec), i64, P(i32), i32, cpp, u64, P(P(Split))]),
    "gk_split_free": (None, [P(Split)]),
    "gk_transform_open": (ci, [char_p, P(AlignOpts), P(ci), pp]),
    "gk_groups_from_labels": (ci, [P(Labels), P(Labels), P(i32), P(i32)]),
    "gk_retrieval_protocol": (ci, [pM, pM, P(i32), P(i32), P(Split), P(AlignOpts), vp, u64,
                                   P(RetrievalResult)]),
    "gk_retrieval_protocol_opts": (ci, [pM, pM, P(i32), P(i32), P(Split), P(AlignOpts), vp,
                                        u64, P(ScoreOpts), P(RetrievalResult)]),
    "gk_retrieval_to_json": (ci, [P(RetrievalResult), char_p, char_p, cpp]),
    "gk_zeroshot_classes": (ci, [P(Labels), P(Labels), P(i32)]),
    "gk_zeroshot_ensemble": (ci, [pM, P(i32), i32, ppM]),
    "gk_zeroshot_protocol": (ci, [pM, P(i32), pM, P(Split), P(AlignOpts), vp, u64,
                                  P(P(ZeroshotResult))]),
    "gk_zeroshot_protocol_opts": (ci, [pM, P(i32), pM, P(Split), P(AlignOpts), vp, u64,
                                       P(ScoreOpts), P(P(ZeroshotResult))]),
    "gk_zeroshot_intervals": (ci, [P(ZeroshotResult), P(BootOpts)]),
    "gk_boot_opts_default": (BootOpts, []),
    "gk_zeroshot_to_json": (ci, [P(ZeroshotResult), cpp, ci, cpp]),
    "gk_zeroshot_result_free": (None, [P(ZeroshotResult)]),
    "gk_retrieval_kfold": (ci, [pM, pM, P(i32), P(i32), cpp, char_p, P(AlignOpts), vp, u64,
                                P(ScoreOpts), pp]),
    "gk_retrieval_folds_to_json": (ci, [vp, char_p, char_p, cpp]),
    "gk_retrieval_folds_free": (None, [vp]),
    "gk_zeroshot_kfold": (ci, [pM, P(i32), pM, cpp, char_p, P(AlignOpts), vp, u64,
                               P(ScoreOpts), P(P(ZeroshotFolds))]),
    "gk_zeroshot_folds_to_json": (ci, [P(ZeroshotFolds), cpp, cpp]),
    "gk_zeroshot_folds_free": (None, [P(ZeroshotFolds)]),
    # eval.h: group tasks
    "gk_group_opts_default": (GroupOpts, []),
    "gk_joint_build": (ci, [ppM, ppM, ci, P(i32), P(i64), i64, P(P(Joint))]),
    "gk_joint_free": (None, [P(Joint)]),
    "gk_group_eval": (ci, [pM, P(i32), P(GroupOpts), P(GroupResult)]),
    "gk_group_eval_split": (ci, [pM, P(i32), pM, P(i32), P(GroupOpts), P(GroupResult)]),
    "gk_group_to_json": (ci, [P(GroupResult), P(GroupOpts), char_p, char_p, cpp]),
    # eval.h: compare
    "gk_compare_opts_default": (CompareOpts, []),
    "gk_compare_default_methods": (ci, [P(AlignOpts), ci]),
    "gk_compare_run": (ci, [P(CompareInput), P(AlignOpts), ci, P(CompareOpts), pp]),
    "gk_compare_vs_parse": (ci, [char_p, P(CompareVs)]),
    "gk_compare_to_json": (ci, [vp, P(CompareInput), cpp]),
    "gk_compare_result_free": (None, [vp]),
    # train.h
    "gk_train_opts_default": (TrainOpts, [ci]),
    "gk_head_kind_parse": (ci, [char_p, P(ci)]),
    "gk_loss_kind_parse": (ci, [char_p, P(ci)]),
    "gk_train_metric_parse": (ci, [char_p, P(ci)]),
    "gk_heads_apply": (ci, [vp, ci, pM, ppM]),
    "gk_heads_save": (ci, [vp, char_p]),
    "gk_heads_load": (ci, [char_p, pp]),
    "gk_heads_free": (None, [vp]),
    "gk_heads_kind": (ci, [vp]),
    "gk_heads_n_views": (ci, [vp]),
    "gk_heads_in_dim": (i64, [vp, ci]),
    "gk_heads_out_dim": (i64, [vp]),
    "gk_heads_logit_scale": (f64, [vp]),
    "gk_heads_n_fit": (i64, [vp]),
    "gk_head_kind_name": (char_p, [ci]),
    "gk_train": (ci, [P(TrainOpts), P(TrainData), vp, vp, P(P(TrainResult))]),
    "gk_train_result_free": (None, [P(TrainResult)]),
    "gk_train_result_to_json": (ci, [P(TrainOpts), P(TrainResult), cpp]),
    # curate.h
    "gk_curate_opts_default": (CurateOpts, []),
    "gk_curate": (ci, [pM, pM, P(CurateOpts), P(P(CurateResult))]),
    "gk_curate_result_free": (None, [P(CurateResult)]),
    "gk_curate_to_json": (ci, [P(CurateResult), P(CurateOpts), cpp, cpp]),
    # leakage.h
    "gk_leakage_opts_default": (LeakageOpts, []),
    "gk_leakage_run": (ci, [pM, P(i32), pM, P(LeakageOpts), P(LeakageResult)]),
    "gk_leakage_to_json": (ci, [P(LeakageResult), P(LeakageOpts), cpp, cpp]),
    # analyze.h, report.h, io.h
    "gk_analyze_opts_default": (AnalyzeOpts, []),
    "gk_analyze_run": (ci, [P(AnalyzeInput), P(AnalyzeOpts), cpp]),
    "gk_report_render_html": (ci, [char_p, cpp]),
    "gk_write_text_atomic": (ci, [char_p, char_p]),
}


def _find_library():
    """libgapkit.so: $GAPKIT_LIBRARY, else the copy installed inside this package."""
    env = os.environ.get("GAPKIT_LIBRARY")
    if env:
        return os.path.abspath(env) if os.sep in env else env
    here = pathlib.Path(__file__).resolve().parent
    for name in ("libgapkit.so", "libgapkit.so.0"):
        if (here / name).exists():
            return str(here / name)
    return "libgapkit.so.0"  # an installed library on the loader's path


class _Lib:
    """The loaded library, with every function of PROTOTYPES declared."""

    def __init__(self, path):
        self.path = path
        self.dll = C.CDLL(path)
        for name, (res, args) in PROTOTYPES.items():
            fn = getattr(self.dll, name)
            fn.restype = res
            fn.argtypes = args
            setattr(self, name[3:], fn)  # lib.comet_fit is gk_comet_fit


# OpenMP threads that wait by spinning steal the cores of the threads doing the
# work on a shared machine (a COMET fit of 10^6 x 64 pairs: 10 s instead of 5.5 s
# under load); libgomp reads OMP_WAIT_POLICY once, when it is loaded, so the
# package asks for passive waiting before loading the library, as the CLI does
# (tools/gapkit/main.c), unless the user chose a policy or libgomp is already loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
lib = _Lib(_find_library())
