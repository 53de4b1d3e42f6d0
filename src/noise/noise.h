/* Noise monitoring: what main.c and other features may use. Built so far:
 * HJ 212-2017 frames (hj212.h), frequency and time weighting and the level
 * statistics (dsp.h), audio files (audio.h), and these subcommands. */
#ifndef LINLI_NOISE_NOISE_H
#define LINLI_NOISE_NOISE_H

struct config;

/* linli noise analyze FILE [--calibration DB] [--weighting A|C|Z] [--time F|S]
 * [--json] [--per-second] */
int noise_cli_analyze(struct config *cfg, int argc, char **argv);
/* linli noise calibrate FILE --level DB */
int noise_cli_calibrate(struct config *cfg, int argc, char **argv);

#endif
