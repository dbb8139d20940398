/*
 * The release ledger (docs/security.md, "Releases across kinds and
 * time"): every release of a form that leaves Candor through the
 * publication gate is recorded in the database with its kind, day, plan
 * and data hashes, the form's change counter and, for reports, aggregate
 * exports and API summaries, the membership of every group it published.
 * Two rules follow from it, whatever the kind of release:
 *   - spacing: a release is made on the data of an earlier release (the
 *     same counter) or k or more changes after the latest release of the
 *     form, of any kind (a report, an aggregate or row-level export of
 *     "analysis", an API summary or export);
 *   - trackers: on the same data, a group that differs from a group
 *     released earlier by 0 < n < k respondents is withheld (gate.h).
 *
 * Use: in the read snapshot that loaded the data d, ledger_read() takes
 * the form's counter for d, the groups of the earlier releases on the same
 * data and the form's latest release. ledger_due() applies the spacing
 * rule; ledger_gate() goes to report_build(); after it, ledger_record()
 * (the analysis, in its own transaction) or ledger_job() (the collector's
 * writer thread) records the release, and fails with nothing written when
 * another release of the form was recorded since ledger_read(), so that
 * two releases made at once cannot both pass.
 *
 * Functions return 0, or -1 with a message in err.
 */
#ifndef CANDOR_LEDGER_H
#define CANDOR_LEDGER_H

#include <stddef.h>

#include "dataset.h"
#include "form.h"
#include "gate.h"
#include "plan.h"
#include "store.h"
#include "store_writer.h"

struct ledger;

/*
 * Read the ledger of form f for the data d through st (the connection and
 * snapshot d was loaded in; the file must be at schema 6).
 */
int ledger_read(struct store *st, const struct form *f,
    const struct dataset *d, struct ledger **out, char *err, size_t errsz);

/*
 * May a release be made on this data with threshold k? 0 if so; else -1,
 * with a message naming the latest release and the changes still needed.
 */
int ledger_due(const struct ledger *l, long k, char *err, size_t errsz);

/* For report_build(); NULL for a NULL ledger. */
struct gate_ledger *ledger_gate(struct ledger *l);

/* The form's change counter for the data read. */
long long ledger_changes(const struct ledger *l);

/*
 * Record this release, of kind "report", "aggregate", "rows" (p NULL) or
 * "summary", with the groups the gate published (ledger_gate()), through
 * rw (read-write, on the same file), in one transaction. *seq, when not
 * NULL, is the ledger's number of the release.
 */
int ledger_record(struct ledger *l, struct store *rw, const char *kind,
    const struct plan *p, long long *seq, char *err, size_t errsz);

/*
 * The same for the collector: fill job's ledger fields, to be recorded by
 * the writer in the savepoint of the release it stores. The memory stays
 * with l, which must outlive the job.
 */
int ledger_job(struct ledger *l, const char *kind, const struct plan *p,
    struct store_job *job);

void ledger_free(struct ledger *l);

#endif
