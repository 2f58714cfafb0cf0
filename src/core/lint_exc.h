/* lint_exc.h: exceptions for 'ecsfix lint' from .ecsfix.json at the repository root. */
#ifndef ECSFIX_CORE_LINT_EXC_H
#define ECSFIX_CORE_LINT_EXC_H

struct lint_options;
struct lint_report;

/*
 * Finds .ecsfix.json by walking up from path's directory (stopping after the directory that
 * holds .git, or at /) and applies its exceptions to r's findings:
 *   {"exceptions": [{"family": "web", "container": "agent", "controls": ["ECS.4"],
 *                    "reason": "needs /dev/fuse", "approvedBy": "sec", "until": "2027-01-31"}]}
 * family and/or container select findings (at least one), controls limits them (all when
 * absent), until (YYYY-MM-DD, UTC; none = no expiry) ends the exception. A matching finding
 * becomes EXCEPTED and stops deciding the exit code; past its date it fails again and a note
 * says the exception expired. A broken .ecsfix.json makes a note, never an exception.
 */
void lint_exc_apply(const char *path, const struct lint_options *o, struct lint_report *r);

#endif
