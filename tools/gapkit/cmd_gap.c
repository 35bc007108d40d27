/* cmd_gap.c — placeholder until the command is written. */
#include "cli.h"

int cmd_gap(int argc, char **argv)
{
    (void)argc;
    return cli_usage(argv[0], "'%s' is not available yet", argv[0]);
}
