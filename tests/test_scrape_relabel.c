/*
 * The relabelling engine, action by action, against hand-worked results of
 * Prometheus 2.42's model/relabel (relabel.go and relabel_test.go cases
 * restated), and its config-time checks with Prometheus's messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scrape/relabel.h"
#include "src/base/buf.h"

struct fixture {
    struct relabel_rules *rs;
    struct relabel_builder *lb;
    struct buf out;
};

static int
setup(void **state)
{
    struct fixture *f = test_calloc(1, sizeof(*f));

    f->rs = relabel_rules_new();
    f->lb = relabel_builder_new();
    buf_init(&f->out, 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    relabel_rules_free(f->rs);
    relabel_builder_free(f->lb);
    buf_fini(&f->out);
    test_free(f);
    return 0;
}

/* Loads "a=1,b=2" (values may not hold ',' or '=') into lb. */
static void
load(struct fixture *f, const char *spec)
{
    char tmp[512];
    char *p = tmp;

    relabel_builder_reset(f->lb);
    assert_true(strlen(spec) < sizeof(tmp));
    memcpy(tmp, spec, strlen(spec) + 1);
    while (*p != '\0') {
        char *eq = strchr(p, '='), *end = strchr(p, ',');

        if (end == NULL)
            end = p + strlen(p);
        assert_non_null(eq);
        *eq = '\0';
        if (*end != '\0')
            *end++ = '\0';
        else
            end = eq + 1 + strlen(eq + 1);
        relabel_builder_set(f->lb, p, eq + 1);
        p = end;
    }
}

/* The builder's set as "a=1,b=2". */
static const char *
dump(struct fixture *f)
{
    const struct labels *ls = relabel_builder_labels(f->lb);

    buf_reset(&f->out);
    buf_puts(&f->out, "");
    for (size_t i = 0; i < ls->n; i++) {
        if (i > 0)
            buf_putc(&f->out, ',');
        buf_printf(&f->out, "%s=%s", ls->v[i].name, ls->v[i].value);
    }
    return buf_str(&f->out);
}

/* Adds a rule that must pass validation. */
static void
add(struct fixture *f, const struct relabel_spec *s)
{
    struct diag d;

    diag_clear(&d);
    if (relabel_rules_add(f->rs, s, &d) != 0)
        fail_msg("rule rejected: %s", d.msg);
}

/* A rule that must fail validation with message msg. */
static void
reject(const struct relabel_spec *s, const char *msg)
{
    struct relabel_rules *rs = relabel_rules_new();
    struct diag d;

    diag_clear(&d);
    assert_int_equal(relabel_rules_add(rs, s, &d), -1);
    assert_string_equal(d.msg, msg);
    assert_int_equal(relabel_rules_count(rs), 0);
    relabel_rules_free(rs);
}

static const char *const src_a[] = { "a" };
static const char *const src_ab[] = { "a", "b" };

static void
test_builder_sorted_and_empty_deletes(void **state)
{
    struct fixture *f = *state;

    load(f, "z=1,b=2,m=3");
    assert_string_equal(dump(f), "b=2,m=3,z=1");
    relabel_builder_set(f->lb, "m", "");
    assert_string_equal(dump(f), "b=2,z=1");
    relabel_builder_set(f->lb, "b", "x");
    relabel_builder_del(f->lb, "nothing");
    assert_string_equal(dump(f), "b=x,z=1");
    assert_null(relabel_builder_get(f->lb, "m"));
    assert_string_equal(relabel_builder_get(f->lb, "z"), "1");
    /* Setting a label to its own value reads the string before freeing. */
    relabel_builder_set(f->lb, "z", relabel_builder_get(f->lb, "z"));
    assert_string_equal(dump(f), "b=x,z=1");
}

/* Defaults: regex (.*), replacement $1, separator ";". */
static void
test_replace_defaults_and_separator(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.source_labels = src_ab;
    s.nsource = 2;
    s.target_label = "joined";
    add(f, &s);
    s.separator = "";
    s.target_label = "glued";
    add(f, &s);
    load(f, "a=foo,b=bar");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "a=foo,b=bar,glued=foobar,joined=foo;bar");
    /* A missing source label joins as "". */
    load(f, "b=bar");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "b=bar,glued=bar,joined=;bar");
}

/* Groups by number, by name and in braces, $$ for a dollar, and a
 * reference inside target_label, as Go's Regexp.Expand reads them. */
static void
test_replace_groups(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.source_labels = src_a;
    s.nsource = 1;
    s.regex = "(?P<first>[a-z]+)-(\\d+)";
    s.target_label = "n";
    s.replacement = "${first}:$2:${2}x:$$1";
    add(f, &s);
    s.target_label = "name_$first";
    s.replacement = "$1";
    add(f, &s);
    load(f, "a=web-42");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "a=web-42,n=web:42:42x:$1,name_web=web");
}

static void
test_replace_no_match_and_empty(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.source_labels = src_a;
    s.nsource = 1;
    s.regex = "nomatch";
    s.target_label = "a";
    s.replacement = "changed";
    add(f, &s);
    /* "$1x" refers to group "1x", which does not exist: empty, deleted. */
    relabel_spec_init(&s);
    s.source_labels = src_a;
    s.nsource = 1;
    s.target_label = "gone";
    s.replacement = "$1x";
    add(f, &s);
    load(f, "a=foo,gone=here");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "a=foo");
}

/* An expanded target that is no label name deletes the unexpanded name. */
static void
test_replace_invalid_target(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.source_labels = src_a;
    s.nsource = 1;
    s.target_label = "$1";
    add(f, &s);
    load(f, "a=1abc,b=x");
    relabel_builder_set(f->lb, "$1", "odd");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "a=1abc,b=x");
}

/* A value with a newline does not match (.*): `.` excludes \n. */
static void
test_replace_newline_does_not_match(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.source_labels = src_a;
    s.nsource = 1;
    s.target_label = "copy";
    add(f, &s);
    load(f, "b=1");
    relabel_builder_set(f->lb, "a", "two\nlines");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_null(relabel_builder_get(f->lb, "copy"));
}

static void
test_keep_drop(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.action = RELABEL_KEEP;
    s.source_labels = src_a;
    s.nsource = 1;
    s.regex = "f.*";
    add(f, &s);
    s.action = RELABEL_DROP;
    s.regex = "fo";         /* anchored: "foo" does not match "fo" */
    add(f, &s);
    load(f, "a=foo");
    assert_true(relabel_apply(f->rs, f->lb));
    load(f, "a=fo");
    assert_false(relabel_apply(f->rs, f->lb));
    load(f, "a=bar");
    assert_false(relabel_apply(f->rs, f->lb));
    /* A missing label is "", which f.* does not match. */
    load(f, "b=foo");
    assert_false(relabel_apply(f->rs, f->lb));
}

static void
test_keepequal_dropequal(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.action = RELABEL_KEEPEQUAL;
    s.source_labels = src_a;
    s.nsource = 1;
    s.target_label = "b";
    add(f, &s);
    load(f, "a=x,b=x");
    assert_true(relabel_apply(f->rs, f->lb));
    load(f, "a=x,b=y");
    assert_false(relabel_apply(f->rs, f->lb));
    /* Both missing: "" equals "". */
    load(f, "c=1");
    assert_true(relabel_apply(f->rs, f->lb));

    relabel_rules_free(f->rs);
    f->rs = relabel_rules_new();
    s.action = RELABEL_DROPEQUAL;
    add(f, &s);
    load(f, "a=x,b=x");
    assert_false(relabel_apply(f->rs, f->lb));
    load(f, "a=x,b=y");
    assert_true(relabel_apply(f->rs, f->lb));
}

/* md5("") ends e9800998ecf8427e; 0xe9800998ecf8427e % 10 = 8. md5("a;b")
 * % 1000 = 74 and md5("10.0.0.1:80") % 1000003 = 17653, the latter as the
 * recorded Prometheus reported it. */
static void
test_hashmod(void **state)
{
    static const char *const src_addr[] = { "__address__" };
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.action = RELABEL_HASHMOD;
    s.source_labels = src_a;
    s.nsource = 1;
    s.modulus = 10;
    s.target_label = "h10";
    add(f, &s);
    s.source_labels = src_ab;
    s.nsource = 2;
    s.modulus = 1000;
    s.target_label = "h1000";
    add(f, &s);
    s.source_labels = src_addr;
    s.nsource = 1;
    s.modulus = 1000003;
    s.target_label = "big";
    add(f, &s);
    load(f, "b=b,__address__=10.0.0.1:80");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(relabel_builder_get(f->lb, "h10"), "8");
    load(f, "a=a,b=b,__address__=10.0.0.1:80");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(relabel_builder_get(f->lb, "h1000"), "74");
    assert_string_equal(relabel_builder_get(f->lb, "big"), "17653");
}

/* labelmap reads the set as the rule found it; later names win. */
static void
test_labelmap(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.action = RELABEL_LABELMAP;
    s.regex = "__meta_(.+)";
    add(f, &s);
    s.regex = "(a|b)";
    s.replacement = "b";
    add(f, &s);
    load(f, "__meta_zone=eu,__meta_rack=r1,a=1,b=2,other=x");
    assert_true(relabel_apply(f->rs, f->lb));
    /* Rule 2 sets b from a (1) and then from the original b (2). */
    assert_string_equal(dump(f), "__meta_rack=r1,__meta_zone=eu,a=1,b=2,"
                        "other=x,rack=r1,zone=eu");
}

static void
test_labeldrop_labelkeep(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.action = RELABEL_LABELDROP;
    s.regex = "tmp_.*";
    add(f, &s);
    load(f, "tmp_a=1,tmp_b=2,tmpx=3,keep=4");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "keep=4,tmpx=3");

    relabel_rules_free(f->rs);
    f->rs = relabel_rules_new();
    s.action = RELABEL_LABELKEEP;
    s.regex = "__name__|job";
    add(f, &s);
    load(f, "__name__=up,job=j,instance=i,x=y");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "__name__=up,job=j");
    /* Dropping every label leaves an empty, but kept, set. */
    load(f, "a=1");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(dump(f), "");
}

/* Go's strings.ToLower/ToUpper: simple Unicode mappings (ß stays, Σ → σ
 * not ς), invalid UTF-8 bytes become U+FFFD; values as recorded from
 * Prometheus in tests/data/relabel. */
static void
test_lowercase_uppercase(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.action = RELABEL_LOWERCASE;
    s.source_labels = src_a;
    s.nsource = 1;
    s.target_label = "lower";
    add(f, &s);
    s.action = RELABEL_UPPERCASE;
    s.target_label = "upper";
    add(f, &s);
    load(f, "b=1");
    relabel_builder_set(f->lb, "a", "HeLLo Wörld ÄÖÜ Straße ΣΑΣ Ǆ");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(relabel_builder_get(f->lb, "lower"),
                        "hello wörld äöü straße σασ ǆ");
    assert_string_equal(relabel_builder_get(f->lb, "upper"),
                        "HELLO WÖRLD ÄÖÜ STRAßE ΣΑΣ Ǆ");
    relabel_builder_set(f->lb, "a", "A\xff" "b");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(relabel_builder_get(f->lb, "lower"),
                        "a\xef\xbf\xbd" "b");
    /* An empty value deletes the target. */
    relabel_builder_del(f->lb, "a");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_null(relabel_builder_get(f->lb, "lower"));
}

static void
test_action_names(void **state)
{
    enum relabel_action a;

    (void)state;
    assert_int_equal(relabel_action_parse("KeepEqual", &a), 0);
    assert_int_equal(a, RELABEL_KEEPEQUAL);
    assert_int_equal(relabel_action_parse("LABELMAP", &a), 0);
    assert_int_equal(a, RELABEL_LABELMAP);
    assert_int_equal(relabel_action_parse("rename", &a), -1);
    assert_string_equal(relabel_action_name(RELABEL_UPPERCASE), "uppercase");
    assert_true(relabel_name_valid("_a9"));
    assert_false(relabel_name_valid("9a"));
    assert_false(relabel_name_valid("a-b"));
    assert_false(relabel_name_valid(""));
}

/* The checks of relabel.Config.UnmarshalYAML, with its messages. */
static void
test_validation(void **state)
{
    struct relabel_spec s;

    (void)state;
    relabel_spec_init(&s);
    reject(&s, "relabel configuration for replace action requires "
           "'target_label' value");
    s.target_label = "1bad";
    reject(&s, "\"1bad\" is invalid 'target_label' for replace action");
    relabel_spec_init(&s);
    s.action = RELABEL_HASHMOD;
    s.target_label = "h";
    reject(&s, "relabel configuration for hashmod requires non-zero modulus");
    s.modulus = 2;
    s.target_label = "h_$1";
    reject(&s, "\"h_$1\" is invalid 'target_label' for hashmod action");
    relabel_spec_init(&s);
    s.action = RELABEL_LOWERCASE;
    s.target_label = "t";
    s.replacement = "x";
    reject(&s, "'replacement' can not be set for lowercase action");
    relabel_spec_init(&s);
    s.action = RELABEL_LABELMAP;
    s.replacement = "bad-name";
    reject(&s, "\"bad-name\" is invalid 'replacement' for labelmap action");
    relabel_spec_init(&s);
    s.action = RELABEL_KEEPEQUAL;
    s.target_label = "t";
    s.regex = "(.*)";       /* given at all is too much */
    reject(&s, "keepequal action requires only 'source_labels' and "
           "`target_label`, and no other fields");
    relabel_spec_init(&s);
    s.action = RELABEL_LABELDROP;
    s.source_labels = src_a;
    s.nsource = 0;          /* an empty list still counts as given */
    reject(&s, "labeldrop action requires only 'regex', and no other "
           "fields");
    relabel_spec_init(&s);
    s.action = RELABEL_REPLACE;
    s.target_label = "t";
    s.regex = "(unclosed";
    {
        struct relabel_rules *rs = relabel_rules_new();
        struct diag d;

        assert_int_equal(relabel_rules_add(rs, &s, &d), -1);
        assert_non_null(strstr(d.msg, "(unclosed"));
        relabel_rules_free(rs);
    }
}

/*
 * A value holding a NUL byte (carried as C0 80, store/labels.h): regexes,
 * hashmod and case mapping see the NUL byte itself, as Prometheus does,
 * and a result holding one is carried the same way. The last 8 bytes of
 * md5("x\x00y"), big-endian, modulo 1000 are 766 (Python's hashlib).
 */
static void
test_nul_values(void **state)
{
    struct fixture *f = *state;
    struct relabel_spec s;

    relabel_spec_init(&s);
    s.source_labels = src_a;
    s.nsource = 1;
    s.regex = "x(.)y";
    s.target_label = "n";
    s.replacement = "<$1>";
    add(f, &s);
    s.action = RELABEL_UPPERCASE;
    s.regex = NULL;
    s.replacement = NULL;
    s.target_label = "u";
    add(f, &s);
    s.action = RELABEL_HASHMOD;
    s.modulus = 1000;
    s.target_label = "h";
    add(f, &s);
    s.action = RELABEL_KEEP;
    s.target_label = NULL;
    s.regex = "x\\x00y";
    add(f, &s);
    relabel_builder_reset(f->lb);
    relabel_builder_set(f->lb, "a", "x" LABELS_NUL "y");
    assert_true(relabel_apply(f->rs, f->lb));
    assert_string_equal(relabel_builder_get(f->lb, "n"), "<" LABELS_NUL ">");
    assert_string_equal(relabel_builder_get(f->lb, "u"),
                        "X" LABELS_NUL "Y");
    assert_string_equal(relabel_builder_get(f->lb, "h"), "766");
    /* keep's regex does not match "x" alone. */
    relabel_builder_set(f->lb, "a", "x");
    assert_false(relabel_apply(f->rs, f->lb));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builder_sorted_and_empty_deletes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_defaults_and_separator,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_no_match_and_empty,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_invalid_target, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_replace_newline_does_not_match,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepequal_dropequal, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hashmod, setup, teardown),
        cmocka_unit_test_setup_teardown(test_labelmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_labeldrop_labelkeep, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lowercase_uppercase, setup,
                                        teardown),
        cmocka_unit_test(test_action_names),
        cmocka_unit_test(test_validation),
        cmocka_unit_test_setup_teardown(test_nul_values, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
