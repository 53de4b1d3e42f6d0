/* Noise monitoring: the subcommands main.c runs. The rest of the feature
 * has its own headers: frames (hj212.h), weighting and levels (dsp.h),
 * audio (audio.h), readings in (ingest.h, hj212_server.h, mqtt.h), limits
 * (limits.h), alerts (alerts.h), the live views (live.h). */
#ifndef LINLI_NOISE_NOISE_H
#define LINLI_NOISE_NOISE_H

#include <stdint.h>

struct config;

/* linli noise analyze FILE [--calibration DB] [--weighting A|C|Z] [--time F|S]
 * [--json] [--per-second] */
int noise_cli_analyze(struct config *cfg, int argc, char **argv);
/* linli noise calibrate FILE --level DB */
int noise_cli_calibrate(struct config *cfg, int argc, char **argv);
/* linli noise meter add NAME [--mn MN --password PW] [--zone-class C] */
int noise_cli_meter_add(struct config *cfg, int argc, char **argv);
/* linli noise report --meter NAME --from ISO8601 --to ISO8601 [--json] */
int noise_cli_report(struct config *cfg, int argc, char **argv);
/* linli noise import-audio --meter NAME --start ISO8601 FILE [...] */
int noise_cli_import_audio(struct config *cfg, int argc, char **argv);
struct noise_result;
/* noise_cli_analyze_file analyses file into *r like noise_analyze_file,
 * printing the reason on standard error when it cannot. */
int noise_cli_analyze_file(const char *file, double calibration, char weighting,
			   char time_weighting, struct noise_result *r);
/* noise_parse_db reads a level in dB as typed on a command line: a plain
 * decimal from -50 to 200. */
int noise_parse_db(const char *s, double *out);
/* noise_parse_when reads YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] (a space may stand
 * for the T; without an offset, China Standard Time) as epoch seconds. */
int noise_parse_when(const char *s, int64_t *out);

struct db;
/* noise_demo_history publishes the demo plaza's timetables of last, this
 * and next week and feeds its meter the two days before now (alerts and
 * their cases follow from the readings). */
int noise_demo_history(struct db *db, int64_t area, int64_t now);

#endif
