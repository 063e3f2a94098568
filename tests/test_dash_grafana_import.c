/*
 * Tests for src/dash/grafana_import and Grafana's variables in a running
 * dashboard: an export "for sharing externally" (__inputs, ${DS_...} and
 * ${VAR_...}) loads as Grafana's import leaves it; chained query
 * variables with regexes, label_values with a variable label, and
 * query_result read from a store; errors name the expanded query.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/dash/dash.h"
#include "src/dash/dashmodel.h"
#include "src/dash/grafana.h"
#include "store/store.h"

/* An export as Grafana writes one: inputs, then placeholders. */
static const char export_doc[] =
    "{\"__inputs\": ["
    " {\"name\": \"DS_PROM\", \"label\": \"Prometheus\", \"type\":"
    "  \"datasource\", \"pluginId\": \"prometheus\"},"
    " {\"name\": \"DS_LOGS\", \"type\": \"datasource\", \"pluginId\":"
    "  \"loki\"},"
    " {\"name\": \"VAR_JOB\", \"type\": \"constant\", \"label\": \"job\","
    "  \"value\": \"node\"},"
    " {\"name\": \"VAR_SITE\", \"type\": \"constant\", \"label\": \"site\"}],"
    " \"title\": \"Shared\","
    " \"templating\": {\"list\": ["
    "  {\"type\": \"constant\", \"name\": \"job\", \"query\": \"${VAR_JOB}\","
    "   \"current\": {\"value\": \"${VAR_JOB}\"}},"
    "  {\"type\": \"query\", \"name\": \"app\","
    "   \"query\": \"label_values(app)\", \"datasource\": \"${DS_LOGS}\","
    "   \"current\": {\"value\": \"web\"}}]},"
    " \"panels\": ["
    "  {\"type\": \"stat\", \"title\": \"Up on ${VAR_JOB}\","
    "   \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 12, \"h\": 4},"
    "   \"datasource\": \"${DS_PROM}\","
    "   \"targets\": [{\"expr\": \"up{job=\\\"${VAR_JOB}\\\","
    "site=\\\"${VAR_SITE}\\\"}\", \"refId\": \"A\"}]},"
    "  {\"type\": \"timeseries\", \"title\": \"Rate\","
    "   \"gridPos\": {\"x\": 12, \"y\": 0, \"w\": 12, \"h\": 4},"
    "   \"datasource\": {\"type\": \"prometheus\", \"uid\": \"${DS_PROM}\"},"
    "   \"targets\": [{\"expr\":"
    "    \"rate(x{job=\\\"$job\\\"}[$__rate_interval])\", \"refId\": \"A\"}]},"
    "  {\"type\": \"logs\", \"title\": \"Logs\","
    "   \"gridPos\": {\"x\": 0, \"y\": 4, \"w\": 24, \"h\": 4},"
    "   \"datasource\": \"${DS_LOGS}\","
    "   \"targets\": [{\"expr\": \"{job=\\\"x\\\"}\", \"refId\": \"A\"}]}]}";

static bool
has_note(const struct grafana_notes *n, const char *part)
{
    for (size_t i = 0; i < n->n; i++)
        if (strstr(n->v[i], part) != NULL)
            return true;
    return false;
}

static void
test_export_inputs(void **state)
{
    static const char *const set[] = { "VAR_JOB=api\\\"x", "VAR_SITE=b" };
    static const char *const bad[] = { "VAR_NOPE=1" };
    struct grafana_notes notes = { NULL, 0 };
    struct dashboard m;
    struct diag d;
    const struct row *r;

    (void)state;
    assert_int_equal(grafana_load_buf("e.json", export_doc,
                                      strlen(export_doc), &m, &notes, &d), 0);
    r = m.pages[0].rows;
    /* Constants take their default value everywhere, titles too. */
    assert_string_equal(r[0].panels[0].title, "Up on node");
    assert_string_equal(r[0].panels[0].queries[0].expr,
                        "up{job=\"node\",site=\"\"}");
    assert_true(has_note(&notes, "input 'VAR_SITE' has no value"));
    assert_string_equal(m.variables[0].values[0], "node");
    /* A variable of the Loki source keeps its saved value. */
    assert_null(m.variables[1].query);
    assert_string_equal(m.variables[1].values[0], "web");
    assert_true(has_note(&notes, "variable 'app': datasource '${DS_LOGS}' "
                         "is not read"));
    /* ${DS_PROM} is the Prometheus source; ${DS_LOGS} a Loki one. */
    assert_int_equal(r[0].npanels, 2);
    assert_true(has_note(&notes, "datasource '${DS_LOGS}' targets "
                         "skipped"));
    assert_false(has_note(&notes, "DS_PROM"));
    dashmodel_fini(&m);
    grafana_notes_fini(&notes);

    /* Values given as Grafana's import form takes them, JSON-escaped
     * into the document (a backslash and a quote stay what they are). */
    assert_int_equal(grafana_load_buf_with("e.json", export_doc,
                                           strlen(export_doc), set, 2, &m,
                                           &notes, &d), 0);
    assert_string_equal(m.pages[0].rows[0].panels[0].title,
                        "Up on api\\\"x");
    assert_false(has_note(&notes, "has no value"));
    dashmodel_fini(&m);
    grafana_notes_fini(&notes);

    assert_int_equal(grafana_load_buf_with("e.json", export_doc,
                                           strlen(export_doc), bad, 1, &m,
                                           &notes, &d), -1);
    assert_string_equal(d.msg, "'VAR_NOPE' is not a constant input of the "
                        "dashboard (see its __inputs)");
    grafana_notes_fini(&notes);
}

/* Chained variables in the style of rfmoz's NFS dashboard: job, then the
 * host part of its instances, then the port of the chosen host in that
 * job. */
static const char chained_doc[] =
    "{\"title\": \"Chained\", \"templating\": {\"list\": ["
    " {\"type\": \"query\", \"name\": \"port\", \"regex\": \"/[^:]+:(.*)/\","
    "  \"query\": {\"query\": \"label_values(up{job=~\\\"$job\\\", "
    "instance=~\\\"$node:(.*)\\\"}, instance)\"}},"
    " {\"type\": \"query\", \"name\": \"node\", \"regex\": \"/([^:]+):.*/\","
    "  \"sort\": 1, \"query\": \"label_values(up{job=~\\\"$job\\\"}, "
    "instance)\"},"
    " {\"type\": \"query\", \"name\": \"job\", \"query\": "
    "\"label_values(up, job)\", \"current\": {\"value\": \"node\"}},"
    " {\"type\": \"custom\", \"name\": \"label\", \"query\": \"job,instance\"},"
    " {\"type\": \"query\", \"name\": \"values\","
    "  \"query\": \"label_values(up, $label)\"},"
    " {\"type\": \"query\", \"name\": \"host\","
    "  \"regex\": \"/.*instance=\\\"([^\\\"]*).*/\","
    "  \"query\": \"query_result(up{job=\\\"$job\\\"})\"},"
    " {\"type\": \"query\", \"name\": \"bad\","
    "  \"query\": \"label_values(rate(up[$nope]), job)\"}]},"
    " \"panels\": [{\"type\": \"stat\", \"title\": \"Up\","
    "  \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 4},"
    "  \"targets\": [{\"expr\": \"up{instance=\\\"$node:$port\\\"}\","
    "   \"refId\": \"A\"}]}]}";

static void
add_up(struct store *st, const char *instance, const char *job, int64_t t)
{
    struct label l[3] = {
        { "__name__", "up" }, { "instance", instance }, { "job", job },
    };
    struct labels ls = { l, 3 };

    assert_int_equal(store_append(st, store_series_id(st, &ls), t, 1), 0);
}

static void
test_chained_variables(void **state)
{
    struct grafana_notes notes = { NULL, 0 };
    struct store *st = store_new(0, 0);
    int64_t now = 1700000000000;
    struct dashboard m;
    struct diag d;
    struct dash *dash;
    const struct variable *v;
    const struct panel_query *q;

    (void)state;
    add_up(st, "b.example:9100", "node", now - 5000);
    add_up(st, "a.example:9100", "node", now - 5000);
    add_up(st, "a.example:9090", "prometheus", now - 5000);
    assert_int_equal(grafana_load_buf("c.json", chained_doc,
                                      strlen(chained_doc), &m, &notes, &d),
                     0);
    dash = dash_adopt(&m);
    assert_int_equal(dash_evaluate(dash, st, now, -1), 0);
    v = dash_model(dash)->variables;
    /* node: the host part of job node's instances, sorted (sort 1). */
    assert_int_equal(v[1].nvalues, 2);
    assert_string_equal(v[1].values[0], "a.example");
    assert_string_equal(v[1].values[1], "b.example");
    /* port, read after node although listed first: a.example's ports. */
    assert_int_equal(v[0].nvalues, 1);
    assert_string_equal(v[0].values[0], "9100");
    q = &dash_model(dash)->pages[0].rows[0].panels[0].queries[0];
    assert_string_equal(q->expr, "up{instance=\"a.example:9100\"}");
    assert_int_equal(q->result->nseries, 1);
    /* label_values(up, $label): the label itself is a variable. */
    assert_int_equal(v[4].nvalues, 2);
    assert_string_equal(v[4].values[0], "node");
    /* query_result with Grafana's documented regex. */
    assert_int_equal(v[5].nvalues, 2);
    assert_string_equal(v[5].values[0], "a.example:9100");
    /* A bad query names itself as expanded ($nope is no variable). */
    assert_non_null(dash_variable_error(dash, 6));
    assert_non_null(strstr(dash_variable_error(dash, 6), "; query: "
                           "label_values(rate(up[$nope]), job)"));
    assert_null(dash_variable_error(dash, 1));
    assert_int_equal(dash_check_variables(dash), 1);

    /* Another job: node and port follow on the next evaluation. */
    assert_int_equal(dash_set_variable(dash, 2, 1), 0);
    assert_string_equal(v[2].values[1], "prometheus");
    assert_int_equal(dash_evaluate(dash, st, now, -1), 0);
    assert_int_equal(v[1].nvalues, 1);
    assert_string_equal(v[0].values[0], "9090");
    assert_string_equal(q->expr, "up{instance=\"a.example:9090\"}");
    dash_free(dash);
    store_free(st);
    grafana_notes_fini(&notes);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_inputs),
        cmocka_unit_test(test_chained_variables),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
