/*
 * Values in every category of Grafana's unit list, written as Grafana
 * writes them. Each expected string comes from Grafana's own tests where
 * they have the case (packages/grafana-data/src/valueFormats:
 * valueFormats.test.ts, symbolFormatters.test.ts and
 * dateTimeFormatters.test.ts; marked "Grafana test"), else it is worked by
 * hand from the formatter categories.ts gives the id and from toFixed's
 * decimals: none for whole numbers, else two past the first significant
 * digit, padded with zeros. Then promdeck's compact form for values of no
 * unit, legends, display names and times.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "src/base/duration.h"
#include "ui/format.h"

#define MU "\xc2\xb5"

static void
expect(double v, enum unit u, int decimals, const char *want)
{
    char out[FORMAT_VALUE_MAX];

    format_value(v, u, decimals, out, sizeof out);
    assert_string_equal(out, want);
}

/* A unit by its name in the table. */
static void
expect_id(const char *id, double v, int decimals, const char *want)
{
    char out[FORMAT_VALUE_MAX];
    enum unit u;

    assert_int_equal(model_unit_by_name(id, &u), 0);
    format_value(v, u, decimals, out, sizeof out);
    assert_string_equal(out, want);
}

static void
expect_custom(const char *text, double v, int decimals, const char *want)
{
    char out[FORMAT_VALUE_MAX];

    format_value_as(v, UNIT_CUSTOM, text, decimals, out, sizeof out);
    assert_string_equal(out, want);
}

static void
test_to_fixed(void **state)
{
    static const struct {
        double v;
        int decimals;
        const char *want;
    } cases[] = {
        /* Grafana test: toFixed with and without decimals. */
        { 100, -1, "100" },     { 100.4, -1, "100" },  { 100.5, -1, "101" },
        { 100, 1, "100.0" },    { 100.37, 1, "100.4" }, { 100.63, 1, "100.6" },
        { 100.4, 2, "100.40" }, { 100.5, 2, "100.50" },
        /* Three significant digits, zeros kept; JavaScript's exponents. */
        { 1.5, -1, "1.50" },    { 0.001, -1, "0.00100" },
        { 12.345, -1, "12.3" }, { 0, 2, "0.00" },      { 1e-7, -1, "1e-7" },
        { 1e21, -1, "1e+21" },  { -0.0001, 2, "0.00" },
    };
    char out[FORMAT_VALUE_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        format_fixed(cases[i].v, cases[i].decimals, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    format_js_number(0.1 + 0.2, out, sizeof out);
    assert_string_equal(out, "0.30000000000000004");
}

/* The significant digits of a number as JavaScript writes it: no
 * sign, point, exponent, or zeros before the first or after the last. */
static int
sig_digits(const char *s)
{
    const char *first = NULL, *last = NULL;
    int n = 0;

    for (const char *c = s; *c != '\0' && *c != 'e'; c++)
        if (*c >= '1' && *c <= '9') {
            first = first != NULL ? first : c;
            last = c;
        }
    for (const char *c = first; c != NULL && c <= last; c++)
        n += *c >= '0' && *c <= '9';
    return n;
}

/* The fewest digits that read back as v: the definition, tried one
 * precision after another. */
static int
fewest_digits(double v)
{
    char tmp[40];

    for (int p = 1; p < 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        if (strtod(tmp, NULL) == v)
            return p;
    }
    return 17;
}

/* JavaScript's Number to string: the shortest digits that read back as
 * the number, for numbers of every kind (thirds, rates, round numbers,
 * any bit pattern). */
static void
test_js_number_shortest(void **state)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    char out[64];

    (void)state;
    for (int i = 0; i < 20000; i++) {
        double v;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (i % 4) {
        case 0: memcpy(&v, &x, sizeof v); break;
        case 1: v = (double)(x % 100000) / 3.0; break;
        case 2: v = (double)(x % 1000000) / 1000.0; break;
        default: v = (double)(x % 100000) * 1e-9; break;
        }
        if (isnan(v) || isinf(v) || v == 0)
            continue;
        format_js_number(v, out, sizeof out);
        assert_true(strtod(out, NULL) == v);
        assert_int_equal(sig_digits(out), fewest_digits(fabs(v)));
    }
}

static void
test_misc(void **state)
{
    (void)state;
    expect(1234567.891, UNIT_NONE, -1, "1234568");
    expect(0.000123, UNIT_NONE, -1, "0.000123");
    /* Grafana test: short. */
    expect(98765, UNIT_SHORT, 0, "99 K");
    expect(9876543, UNIT_SHORT, 0, "10 Mil");
    expect(1500, UNIT_SHORT, -1, "1.50 K");
    expect(0.5, UNIT_SHORT, -1, "0.500");
    expect(45.23, UNIT_PERCENT, -1, "45.2%");
    expect(0.5, UNIT_PERCENTUNIT, -1, "50%");
    expect(0.0512, UNIT_PERCENTUNIT, -1, "5.12%");
    /* 99.95 rounds to 100.0 at one decimal, and toFixed keeps the 0. */
    expect(99.95, UNIT_PERCENT, -1, "100.0%");
    expect_id("humidity", 45, -1, "45 %H");
    expect_id("dB", -3.5, -1, "-3.50 dB");
    expect_id("hex0x", -255, -1, "-0xFF");
    expect_id("hex", 26.5, -1, "1A.8");
    expect_id("sci", 0.000123, 2, "1.23e-4");
    expect_id("sci", 12345, -1, "1.2345e+4");
    expect_id("locale", 1234567.891, -1, "1,234,567.891");
    expect_id("locale", -1234.5, 0, "-1,235");
    expect_id("string", 0.1, -1, "0.1");
    expect_id("pixel", 12, -1, "12 px");
}

static void
test_fixed_symbol_units(void **state)
{
    (void)state;
    expect_id("accMS2", 9.81, -1, "9.81 m/sec\xc2\xb2");
    expect_id("degree", 90, -1, "90 \xc2\xb0");
    expect_id("areaM2", 12.5, -1, "12.5 m\xc2\xb2");
    expect_id("ppm", 400, -1, "400 ppm");
    expect_id("flowlpm", 3.5, -1, "3.50 L/min");
    expect_id("lengthft", 12, -1, "12 ft");
    expect_id("pressurehpa", 1013.25, -1, "1013 hPa");
    expect_id("rotrpm", 3000, -1, "3000 rpm");
    expect_id("celsius", 21.5, -1, "21.5 \xc2\xb0" "C");
    expect_id("fahrenheit", 70, -1, "70 \xc2\xb0" "F");
    expect_id("kelvin", 300, -1, "300 K");
    expect_id("velocitykmh", 88, -1, "88 km/h");
    expect_id("m3", 3.5, -1, "3.50 m\xc2\xb3");
    /* psi steps have no space before them. */
    expect_id("pressurepsi", 1500, -1, "1.50ksi");
}

static void
test_si_units(void **state)
{
    (void)state;
    /* Grafana test: megwatt, kohm, Mohm, farads and henries at 1000. */
    expect_id("megwatt", 1000, 3, "1.000 GW");
    expect_id("kohm", 1000, 3, "1.000 M\xce\xa9");
    expect_id("Mohm", 1000, 3, "1.000 G\xce\xa9");
    expect_id("farad", 1000, 3, "1.000 kF");
    expect_id(MU "farad", 1000, 3, "1.000 mF");
    expect_id("nfarad", 1000, 3, "1.000 " MU "F");
    expect_id("pfarad", 1000, 3, "1.000 nF");
    expect_id("ffarad", 1000, 3, "1.000 pF");
    expect_id("henry", 1000, 3, "1.000 kH");
    expect_id("mhenry", 1000, 3, "1.000 H");
    expect_id(MU "henry", 1000, 3, "1.000 mH");
    expect_id("flops", 2500000, -1, "2.50 MFLOPS");
    expect_id("mwatt", 0.5, -1, "500 " MU "W");
    expect_id("MHs", 1500, -1, "1.50 GH/s");
    expect_id("massmg", 1500, -1, "1.50 g");
    expect_id("masskg", 0.25, -1, "250 g");
    expect_id("lengthkm", 1500, -1, "1.50 Mm");
    expect_id("radsv", 0.0012, -1, "1.20 mSv");
    expect_id("litre", 0.25, -1, "250 mL");
    expect_id("hertz", 2.4e9, -1, "2.40 GHz");
}

static void
test_data(void **state)
{
    (void)state;
    /* bytes are IEC (1024, KiB), decbytes SI (1000, kB). */
    expect(1536, UNIT_BYTES, -1, "1.50 KiB");
    expect(0, UNIT_BYTES, -1, "0 B");
    expect(1048576, UNIT_BYTES, -1, "1 MiB");
    expect(-2048, UNIT_BYTES, -1, "-2 KiB");
    expect(0.5, UNIT_BYTES, -1, "0.500 B");
    /* No step up on rounding: 1023.9 B is "1024 B", as in Grafana. */
    expect(1023.9, UNIT_BYTES, -1, "1024 B");
    expect_id("decbytes", 1536, -1, "1.54 kB");
    expect_id("bits", 1024, -1, "1 Kib");
    expect_id("decbits", 1500, -1, "1.50 kb");
    expect_id("mbytes", 1536, -1, "1.50 GiB");
    /* Grafana test: kbytes and deckbytes. */
    expect_id("kbytes", 10000000, 3, "9.537 GiB");
    expect_id("deckbytes", 10000000, 3, "10.000 GB");
}

static void
test_data_rate(void **state)
{
    (void)state;
    /* Rates carry "/s"; bits are "b", bytes "B"; bps and Bps are SI. */
    expect_id("bps", 1e6, -1, "1 Mb/s");
    expect_id("bps", 125e6, -1, "125 Mb/s");
    expect_id("Bps", 1536, -1, "1.54 kB/s");
    expect_id("binBps", 1536, -1, "1.50 KiB/s");
    expect_id("binbps", 2048, -1, "2 Kib/s");
    expect_id("Kbits", 1500, -1, "1.50 Mb/s");
    expect_id("KiBs", 1536, -1, "1.50 MiB/s");
    expect_id("pps", 12.3, -1, "12.3 p/s");
}

static void
test_currency(void **state)
{
    (void)state;
    /* Grafana test: currencyUSD, currencyKRW, currencyIDR. */
    expect_id("currencyUSD", 1532.82, 2, "$1.53K");
    expect_id("currencyKRW", 1532.82, 2, "\xe2\x82\xa9" "1.53K");
    expect_id("currencyIDR", 1532.82, 2, "Rp1.53K");
    /* Grafana test: currency's sign before the symbol; T is the top. */
    expect_id("currencyUSD", -1000, -1, "-$1K");
    expect_id("currencyUSD", 1e15, -1, "$1000T");
    expect_id("currencyEUR", 1234, -1, "\xe2\x82\xac" "1.23K");
    expect_id("currencySEK", 2500000, -1, "2.50Mkr");
    expect_id("currencyBTC", 0.5, -1, "\xe0\xb8\xbf" "0.500");
}

static void
test_energy_and_friends(void **state)
{
    (void)state;
    expect_id("watt", 1500, -1, "1.50 kW");
    expect_id("kwatth", 2500, -1, "2.50 MWh");
    expect_id("ohm", 4700, -1, "4.70 k\xce\xa9");
    expect_id("forceN", 1200, -1, "1.20 kN");
    expect_id("pressurebar", 1.013, -1, "1.01 bar");
    expect_id("rothz", 50, -1, "50 Hz");
    expect_id("mlitre", 1500, -1, "1.50 L");
    /* Grafana test: SIPrefix("V") either side of zero. */
    expect_id("volt", 999, -1, "999 V");
    expect_id("volt", -1e12, -1, "-1 TV");
    expect_id("volt", 0, -1, "0 V");
}

static void
test_time(void **state)
{
    (void)state;
    /* Grafana test: ms. */
    expect_id("ms", 0.0024, 4, "0.0024 ms");
    expect_id("ms", 100, 0, "100 ms");
    expect_id("ms", 1250, 2, "1.25 s");
    expect_id("ms", 10000086.123, 1, "2.8 hour");
    expect_id("ms", 1200, 0, "1 s");
    /* Grafana test: nanoseconds up to days; seconds write 0 as "0 s". */
    expect_id("ns", 10, -1, "10 ns");
    expect_id("ns", 3000, -1, "3 " MU "s");
    expect_id("ns", 480000000000.0, -1, "8 min");
    expect_id("ns", 864000000000000.0, -1, "10 day");
    expect(0, UNIT_SECONDS, 2, "0 s");
    expect(0.25, UNIT_SECONDS, -1, "250 ms");
    expect(0.00025, UNIT_SECONDS, -1, "250 " MU "s");
    expect(1.5, UNIT_SECONDS, -1, "1.50 s");
    expect(90, UNIT_SECONDS, -1, "1.50 min");
    expect(7200, UNIT_SECONDS, -1, "2 hour");
    expect(1209600, UNIT_SECONDS, -1, "2 week");
    expect_id(MU "s", 1500, -1, "1.50 ms");
    expect_id("m", 90, -1, "1.50 hour");
    expect_id("h", 36, -1, "1.50 day");
    expect_id("d", 10, -1, "1.43 week");
    expect_id("timeticks", 15000, -1, "2.50 min");
}

static void
test_durations(void **state)
{
    (void)state;
    /* Grafana test: durations; unset decimals give only the first unit:
     * 90061 s is "1 day", and one decimal more adds the hour. */
    expect_id("dtdurationms", 0, 0, "0 milliseconds");
    expect_id("dtdurationms", 1, 0, "1 millisecond");
    expect_id("dtdurationms", -1, 0, "1 millisecond ago");
    expect_id("dtdurations", 1, 0, "1 second");
    expect_id("dtdurationms", 38898367008.0, 1, "1 year, 2 months");
    expect_id("dtdurationms", 38898367008.0, 20, "1 year, 2 months, "
              "3 weeks, 4 days, 5 hours, 6 minutes, 7 seconds, "
              "8 milliseconds");
    expect_id("dtdurationms", 36993906007.0, 8, "1 year, 2 months, "
              "0 weeks, 3 days, 4 hours, 5 minutes, 6 seconds, "
              "7 milliseconds");
    expect_id("dtdurations", 90061, -1, "1 day");
    expect_id("dtdurations", 90061, 1, "1 day, 1 hour");
    /* Grafana test: hh:mm:ss and d hh:mm:ss. */
    expect_id("dthms", 1, -1, "00:00:01");
    expect_id("dthms", -1, -1, "00:00:01 ago");
    expect_id("dtdhms", 86399, -1, "23:59:59");
    expect_id("dtdhms", 86400, -1, "1 d 00:00:00");
    expect_id("dtdhms", 1179811, -1, "13 d 15:43:31");
    expect_id("dtdhms", -1179811, -1, "13 d 15:43:31 ago");
    expect_id("dtdhms", 116876364, -1, "1352 d 17:39:24");
}

static void
test_clocks(void **state)
{
    (void)state;
    /* Grafana test: toClock. */
    expect_id("clockms", 999, 0, "999ms");
    expect_id("clockms", 59999, -1, "59s:999ms");
    expect_id("clockms", 59999, 0, "59s");
    expect_id("clockms", 3599999, -1, "59m:59s:999ms");
    expect_id("clockms", 3599999, 1, "59m:59s");
    expect_id("clockms", 7199999, -1, "01h:59m:59s:999ms");
    expect_id("clockms", 7199999, 0, "01h");
    expect_id("clockms", 7199999, 2, "01h:59m:59s");
    expect_id("clockms", 89999999, -1, "24h:59m:59s:999ms");
    expect_id("clocks", 3599.999, 1, "59m:59s");
}

static void
test_dates(void **state)
{
    char out[FORMAT_VALUE_MAX];
    double now = (double)time_now_ms();

    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    /* Grafana test: 2010-07-02 00:00 as ISO, US and the system format. */
    expect_id("dateTimeAsIso", 1278028800000.0, 0, "2010-07-02 00:00:00");
    expect_id("dateTimeAsUS", 1278028800000.0, 0, "07/02/2010 12:00:00 am");
    expect_id("dateTimeAsSystem", 1278028800000.0, 0,
              "2010-07-02 00:00:00");
    expect_id("dateTimeAsIsoNoDateIfToday", 1278028800000.0, 0,
              "2010-07-02 00:00:00");
    /* Grafana test: time:YYYY and time:YYYY.MM. */
    expect_custom("time:YYYY", 930873600000.0, 0, "1999");
    expect_custom("time:YYYY.MM", 1278028800000.0, 0, "2010.07");
    expect_custom("time:ddd D MMM [at] h A", 1278028800000.0, 0,
                  "Fri 2 Jul at 12 AM");
    /* Grafana test: from now, 7 days and 2 minutes ago. */
    expect_id("dateTimeFromNow", now - 7 * 86400000.0, -1, "7 days ago");
    expect_id("dateTimeFromNow", now - 2 * 60000.0, -1, "2 minutes ago");
    expect_id("dateTimeFromNow", now - 1000, -1, "a few seconds ago");
    expect_id("dateTimeFromNow", now + 3 * 3600000.0, -1, "in 3 hours");
    /* A time today: only the time of day. */
    {
        time_t t = (time_t)(now / 1000);
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(out, sizeof out, "%H:%M:%S", &tm);
        expect_id("dateTimeAsIsoNoDateIfToday", (double)t * 1000, 0, out);
    }
}

static void
test_throughput_and_bool(void **state)
{
    (void)state;
    expect(1500, UNIT_OPS, -1, "1.50K ops/s");
    expect(2500000, UNIT_REQPS, -1, "2.50M req/s");
    expect(0.5, UNIT_REQPS, -1, "0.500 req/s");
    expect_id("cps", 0.5, -1, "0.500 c/s");
    expect_id("iops", 120, -1, "120 io/s");
    expect_id("rpm", 30, -1, "30 rd/m");
    expect_id("bool", 0, -1, "False");
    expect_id("bool_yes_no", 1, -1, "Yes");
    expect_id("bool_on_off", 0, -1, "Off");
}

static void
test_custom_units(void **state)
{
    (void)state;
    /* Grafana test: unknown ids follow the number; prefix and suffix. */
    expect_custom("a", 1532.82, 0, "1533 a");
    expect_custom("prefix:b", 1532.82, -1, "b1533");
    expect_custom("suffix:d", 1532.82, -1, "1533 d");
    /* Grafana test: si: takes the prefix of its unit as the base. */
    expect_custom("si:" MU "F", 1234, 2, "1.23 mF");
    expect_custom("si:" MU "F", 1234000000, 2, "1.23 kF");
    expect_custom("si:" MU "F", 1234000000000000.0, 2, "1.23 GF");
    expect_custom("si:mV", 1500, -1, "1.50 V");
    /* Grafana test: count: and currency:. */
    expect_custom("count:xpm", 1234567, 2, "1.23M xpm");
    expect_custom("count:x/min", 1234, 2, "1.23K x/min");
    expect_custom("currency:@", 1234567, 2, "@1.23M");
    expect_custom("currency:@", 1234, 2, "@1.23K");
    expect_custom("bool:up/down", 1, -1, "up");
    expect_custom("bool:up", 0, -1, "-");
    /* No text: promdeck's compact form. */
    expect_custom("", 1234, -1, "1.23k");
}

static void
test_compact(void **state)
{
    (void)state;
    expect(42, UNIT_AUTO, -1, "42");
    expect(1234, UNIT_AUTO, -1, "1.23k");
    expect(-1234, UNIT_AUTO, -1, "-1.23k");
    expect(1.5e6, UNIT_AUTO, -1, "1.5M");
    expect(999.96, UNIT_AUTO, -1, "1k");
    expect(0.25, UNIT_AUTO, -1, "250m");
    expect(0.0000125, UNIT_AUTO, -1, "12.5" MU);
    expect(3.14159, UNIT_AUTO, 2, "3.14");
    expect(1234, UNIT_AUTO, 0, "1k");
    expect(0, UNIT_AUTO, -1, "0");
}

static void
test_special_values(void **state)
{
    (void)state;
    expect(NAN, UNIT_BYTES, -1, "NaN");
    expect(INFINITY, UNIT_SECONDS, -1, "+Inf");
    expect(-INFINITY, UNIT_AUTO, 2, "-Inf");
}

/* Axis ticks drop the zeros automatic decimals pad with, as Grafana's
 * display processor does (+text + ""). */
static void
test_trim_zeros(void **state)
{
    static const char *const cases[][2] = {
        { "1.50 KiB", "1.5 KiB" }, { "100.0%", "100%" },
        { "0.00100", "0.001" },    { "-2.50 s", "-2.5 s" },
        { "12 ms", "12 ms" },      { "$1.50K", "$1.50K" },
        { "2010-07-02 00:00:00", "2010-07-02 00:00:00" },
        { "1.05 day", "1.05 day" },
    };
    char s[64];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(s, sizeof s, "%s", cases[i][0]);
        format_trim_zeros(s);
        assert_string_equal(s, cases[i][1]);
    }
}

/* A suffix too long for the buffer is cut between characters. */
static void
test_cut_at_character(void **state)
{
    char out[8];

    (void)state;
    format_value_as(1, UNIT_CUSTOM, "suffix:\xc2\xb0\xc2\xb0\xc2\xb0", -1,
                    out, sizeof out);
    assert_string_equal(out, "1 \xc2\xb0\xc2\xb0");
}

static struct label lv[] = {
    { "__name__", "http_requests_total" },
    { "code", "200" },
    { "job", "api" },
};

static void
test_legend(void **state)
{
    struct labels ls = { lv, 3 };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    format_legend("{{code}} on {{ instance }}/{{job}}", &ls, &b);
    assert_string_equal(buf_str(&b), "200 on /api");
    buf_reset(&b);
    format_legend("open {{code", &ls, &b);
    assert_string_equal(buf_str(&b), "open {{code");
    buf_reset(&b);
    format_legend(NULL, &ls, &b);
    assert_string_equal(buf_str(&b),
                        "http_requests_total{code=\"200\", job=\"api\"}");
    buf_fini(&b);
}

static void
test_display_name(void **state)
{
    struct labels ls = { lv, 3 };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    format_display_name("${__field.labels.job} ${__field.labels.code}", &ls,
                        "x", &b);
    assert_string_equal(buf_str(&b), "api 200");
    buf_reset(&b);
    format_display_name("${__field.labels}", &ls, "x", &b);
    assert_string_equal(buf_str(&b), "{code=\"200\", job=\"api\"}");
    buf_reset(&b);
    format_display_name("${__series.name}: ${__field.labels.none}|${var}",
                        &ls, "rx", &b);
    assert_string_equal(buf_str(&b), "rx: |${var}");
    buf_fini(&b);
}

static void
test_times(void **state)
{
    char s[32];

    (void)state;
    format_ago(10000, 6800, s, sizeof s);
    assert_string_equal(s, "3.2s ago");
    format_ago(200000, 75000, s, sizeof s);
    assert_string_equal(s, "2m ago");
    format_ago(1, 0, s, sizeof s);
    assert_string_equal(s, "never");
    format_duration(0.0123, s, sizeof s);
    assert_string_equal(s, "12.3 ms");
    /* 1700000000 s is 2023-11-14 22:13:20 UTC. */
    setenv("TZ", "UTC", 1);
    format_hhmm(1700000000000LL, s, sizeof s);
    assert_string_equal(s, "22:13");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_fixed),
        cmocka_unit_test(test_js_number_shortest),
        cmocka_unit_test(test_misc),
        cmocka_unit_test(test_fixed_symbol_units),
        cmocka_unit_test(test_si_units),
        cmocka_unit_test(test_data),
        cmocka_unit_test(test_data_rate),
        cmocka_unit_test(test_currency),
        cmocka_unit_test(test_energy_and_friends),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_clocks),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_throughput_and_bool),
        cmocka_unit_test(test_custom_units),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_special_values),
        cmocka_unit_test(test_trim_zeros),
        cmocka_unit_test(test_cut_at_character),
        cmocka_unit_test(test_legend),
        cmocka_unit_test(test_display_name),
        cmocka_unit_test(test_times),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
