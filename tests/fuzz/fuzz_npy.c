/*
** fuzz_npy.c — libFuzzer target for the .npy reader (header and body):
** gk_npy_read_mem() on the raw input, without a selector (2-D arrays) and with
** the view selectors "0" and "1" (3-D arrays); then gk_load_matrix_ex() on
** the input as an in-memory file (memory map, normalisation in place).
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init++) fuzz_init_threads();
    fuzz_read_matrix(gk_npy_read_mem, data, size, NULL, "fuzz.npy");
    fuzz_read_matrix(gk_npy_read_mem, data, size, "0", "fuzz.npy");
    fuzz_read_matrix(gk_npy_read_mem, data, size, "1", "fuzz.npy");
    fuzz_load_file(data, size, NULL);
    fuzz_load_file(data, size, "1");
    return 0;
}
