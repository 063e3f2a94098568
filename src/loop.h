/*
 * The main loop: one thread, one place where it waits (the scrape pool's
 * poll, with the terminal as an extra fd), then the steps: move transfers
 * along, read keys, start due scrapes, evaluate due rules (a slice at a
 * time), redraw what is dirty. In --once mode it collects until every
 * target was scraped twice, evaluates every rule group once, then prints.
 */
#ifndef SRC_LOOP_H
#define SRC_LOOP_H

#include <signal.h>
#include <stdbool.h>

#include "scrape/discovery.h"
#include "scrape/pool.h"
#include "src/cli.h"
#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "src/dash/dash.h"
#include "src/rulelist.h"
#include "src/ruleset.h"
#include "src/source.h"
#include "src/targets.h"
#include "store/store.h"
#include "ui/containers_table.h"
#include "ui/ui.h"

struct loop {
    const struct cli *cli;
    struct config *cfg;         /* replaced by a reload (SIGHUP, Ctrl-R) */
    struct discovery *disc;     /* finds the targets of cfg's jobs */
    char *reload_error;         /* why the last reload failed, or NULL */
    struct config_dropped *dropped;     /* targets relabelling dropped */
    size_t ndropped;
    struct store *store;
    struct scrape_pool *pool;
    struct dash *dash;
    struct source *source;      /* --source, attach; NULL: the store */
    struct ui *ui;              /* NULL in --once mode */
    struct target_list targets;
    struct ruleset *rules;      /* rule_files and --rules; may be empty */
    struct rule_list rulelist;  /* what the alerts and rules views show */
    struct notifier *notifier;  /* alerting.alertmanagers; NULL: none */
    struct container_table containers;  /* the containers view's rows */
    int64_t next_variables;     /* when label_values() is looked up next */
    int64_t next_targets;       /* when a server's targets are asked next */
    int64_t next_remote;        /* when a server's data is due again */
};

/* The flag SIGINT and SIGTERM set (to the signal's number), for long
 * work such as a query's evaluation to stop on. */
const volatile sig_atomic_t *loop_quit_flag(void);
/* Installs the SIGINT/SIGTERM (quit) and SIGHUP (reload) flag handlers,
 * and the fatal-signal handlers that restore the terminal before the
 * process dies; those run on an alternate stack, so a stack overflow
 * restores it too. */
void loop_install_signals(void);
/*
 * Waits for discovery's first answers (a few seconds at most), then scrapes
 * until every target has finished two scrapes (so rates have two points)
 * or the --timeout passes; false if interrupted by a signal. After two
 * seconds it says on stderr what it waits for, every five, and why it
 * stopped if the timeout ended it.
 */
bool loop_collect(struct loop *l);
/* Runs until q, SIGINT or SIGTERM (live) or until the snapshot is printed
 * (--once); returns the exit status. */
int loop_run(struct loop *l);

/*
 * The parts of the loop that a loop without a screen (promdeck serve)
 * runs itself: whether SIGINT/SIGTERM or SIGHUP came; moving discovery
 * along (true when the pool got a new target list); a reload of the
 * --config file as SIGHUP does (it clears the SIGHUP flag; a failure
 * leaves the old config running and says why in l->reload_error).
 */
bool loop_quit_requested(void);
/*
 * The rules of a loop without a screen, as the live loop runs them:
 * loop_rules_start sets the groups' options and starts the Alertmanager
 * notifier (a reload keeps both up to date); loop_rules_step evaluates
 * the rules that are due for one slice, hands finished rounds' alerts to
 * the notifier and moves it along (true when a rule ran); its rules read
 * and write the store as store/store.h's readers and writer do, so the
 * caller holds no store lock around it. loop_rules_next_due says when
 * either is due next; loop_rules_stop frees the notifier.
 */
void loop_rules_start(struct loop *l);
bool loop_rules_step(struct loop *l, int64_t now);
int64_t loop_rules_next_due(const struct loop *l, int64_t now);
void loop_rules_stop(struct loop *l);
bool loop_reload_requested(void);
bool loop_sync_targets(struct loop *l, int64_t now);
void loop_reload(struct loop *l, int64_t now);

#endif
