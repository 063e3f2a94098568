/*
 * The one table of panel kind names and the one table of units. Dashboard
 * files, Grafana imports, snapshots and the widgets all spell a kind or a
 * unit through here. A unit's row names it as Grafana does and says which
 * family of formatter writes it; the writing is ui/format.c's job, other
 * spellings (aliases) are src/dash's.
 */
#include "ui/model.h"

#include <string.h>

/* ORDER panel_kind */
static const char *const kind_names[] = {
    "graph", "sparkline", "bars", "table", "stat", "gauge", "heatmap",
    "text",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == PANEL_KIND_COUNT,
               "kind_names out of step with enum panel_kind");

/* Shorthands for the table's rows. */
#define FIXED(name, sym) { name, UF_FIXED, sym, 0 }
#define SI(name, sym, step) { name, UF_SI, sym, step }
#define IEC(name, sym, step) { name, UF_IEC, sym, step }
#define COUNT(name, sym) { name, UF_COUNT, sym, 0 }
#define MONEY(name, sym, after) { name, UF_CURRENCY, sym, after }
#define UTF8_MU "\xc2\xb5"      /* µ, MICRO SIGN, as Grafana writes it */
#define UTF8_GREEK_MU "\xce\xbc" /* μ, GREEK SMALL LETTER MU */

/*
 * ORDER unit: the named units first; then Grafana's value format
 * categories in its order (Misc, Acceleration, ... Boolean), each row as
 * its valueFormats registry defines the id, less those named above.
 */
static const struct unit_info units[] = {
    [UNIT_AUTO] = { "auto", UF_AUTO, "", 0 },
    [UNIT_CUSTOM] = { "custom", UF_CUSTOM, "", 0 },
    [UNIT_NONE] = FIXED("none", ""),
    [UNIT_SHORT] = { "short", UF_SHORT, "", 0 },
    [UNIT_BYTES] = IEC("bytes", "B", 0),
    [UNIT_SECONDS] = { "s", UF_TIME, "", UT_S },
    [UNIT_PERCENT] = { "percent", UF_PERCENT, "", 0 },
    [UNIT_PERCENTUNIT] = { "percentunit", UF_PERCENTUNIT, "", 0 },
    [UNIT_REQPS] = COUNT("reqps", "req/s"),
    [UNIT_OPS] = COUNT("ops", "ops/s"),
    /* Misc */
    [UNIT_NAMED] = { "string", UF_STRING, "", 0 },
    FIXED("humidity", "%H"), FIXED("dB", "dB"),
    { "hex0x", UF_HEX, "", 1 }, { "hex", UF_HEX, "", 0 },
    { "sci", UF_SCI, "", 0 }, { "locale", UF_LOCALE, "", 0 },
    FIXED("pixel", "px"),
    /* Acceleration */
    FIXED("accMS2", "m/sec\xc2\xb2"), FIXED("accFS2", "f/sec\xc2\xb2"),
    FIXED("accG", "g"),
    /* Angle */
    FIXED("degree", "\xc2\xb0"), FIXED("radian", "rad"),
    FIXED("grad", "grad"), FIXED("arcmin", "arcmin"),
    FIXED("arcsec", "arcsec"),
    /* Area */
    FIXED("areaM2", "m\xc2\xb2"), FIXED("areaF2", "ft\xc2\xb2"),
    FIXED("areaMI2", "mi\xc2\xb2"),
    /* Computation */
    SI("flops", "FLOPS", 0), SI("mflops", "FLOPS", 2),
    SI("gflops", "FLOPS", 3), SI("tflops", "FLOPS", 4),
    SI("pflops", "FLOPS", 5), SI("eflops", "FLOPS", 6),
    SI("zflops", "FLOPS", 7), SI("yflops", "FLOPS", 8),
    /* Concentration */
    FIXED("ppm", "ppm"), FIXED("conppb", "ppb"),
    FIXED("conngm3", "ng/m\xc2\xb3"), FIXED("conngNm3", "ng/Nm\xc2\xb3"),
    FIXED("con" UTF8_GREEK_MU "gm3", UTF8_GREEK_MU "g/m\xc2\xb3"),
    FIXED("con" UTF8_GREEK_MU "gNm3", UTF8_GREEK_MU "g/Nm\xc2\xb3"),
    FIXED("conmgm3", "mg/m\xc2\xb3"), FIXED("conmgNm3", "mg/Nm\xc2\xb3"),
    FIXED("congm3", "g/m\xc2\xb3"), FIXED("congNm3", "g/Nm\xc2\xb3"),
    FIXED("conmgdL", "mg/dL"), FIXED("conmmolL", "mmol/L"),
    /* Currency */
    MONEY("currencyUSD", "$", 0), MONEY("currencyGBP", "\xc2\xa3", 0),
    MONEY("currencyEUR", "\xe2\x82\xac", 0),
    MONEY("currencyJPY", "\xc2\xa5", 0),
    MONEY("currencyRUB", "\xe2\x82\xbd", 0),
    MONEY("currencyUAH", "\xe2\x82\xb4", 0), MONEY("currencyBRL", "R$", 0),
    MONEY("currencyDKK", "kr", 1), MONEY("currencyISK", "kr", 1),
    MONEY("currencyNOK", "kr", 1), MONEY("currencySEK", "kr", 1),
    MONEY("currencyCZK", "czk", 0), MONEY("currencyCHF", "CHF", 0),
    MONEY("currencyPLN", "PLN", 0), MONEY("currencyBTC", "\xe0\xb8\xbf", 0),
    MONEY("currencymBTC", "mBTC", 0),
    MONEY("currency" UTF8_GREEK_MU "BTC", UTF8_GREEK_MU "BTC", 0),
    MONEY("currencyZAR", "R", 0), MONEY("currencyINR", "\xe2\x82\xb9", 0),
    MONEY("currencyKRW", "\xe2\x82\xa9", 0), MONEY("currencyIDR", "Rp", 0),
    MONEY("currencyPHP", "PHP", 0), MONEY("currencyVND", "\xc4\x91", 1),
    MONEY("currencyTRY", "\xe2\x82\xba", 1),
    /* Data */
    SI("decbytes", "B", 0), IEC("bits", "b", 0), SI("decbits", "b", 0),
    IEC("kbytes", "B", 1), SI("deckbytes", "B", 1),
    IEC("mbytes", "B", 2), SI("decmbytes", "B", 2),
    IEC("gbytes", "B", 3), SI("decgbytes", "B", 3),
    IEC("tbytes", "B", 4), SI("dectbytes", "B", 4),
    IEC("pbytes", "B", 5), SI("decpbytes", "B", 5),
    /* Data rate */
    SI("pps", "p/s", 0), IEC("binBps", "B/s", 0), SI("Bps", "B/s", 0),
    IEC("binbps", "b/s", 0), SI("bps", "b/s", 0),
    IEC("KiBs", "B/s", 1), IEC("Kibits", "b/s", 1),
    SI("KBs", "B/s", 1), SI("Kbits", "b/s", 1),
    IEC("MiBs", "B/s", 2), IEC("Mibits", "b/s", 2),
    SI("MBs", "B/s", 2), SI("Mbits", "b/s", 2),
    IEC("GiBs", "B/s", 3), IEC("Gibits", "b/s", 3),
    SI("GBs", "B/s", 3), SI("Gbits", "b/s", 3),
    IEC("TiBs", "B/s", 4), IEC("Tibits", "b/s", 4),
    SI("TBs", "B/s", 4), SI("Tbits", "b/s", 4),
    IEC("PiBs", "B/s", 5), IEC("Pibits", "b/s", 5),
    SI("PBs", "B/s", 5), SI("Pbits", "b/s", 5),
    /* Date & time: values are Unix times in milliseconds. */
    { "dateTimeAsIso", UF_DATETIME, "YYYY-MM-DD HH:mm:ss", 0 },
    { "dateTimeAsIsoNoDateIfToday", UF_DATETIME,
      "YYYY-MM-DD HH:mm:ss|HH:mm:ss", 0 },
    { "dateTimeAsUS", UF_DATETIME, "MM/DD/YYYY h:mm:ss a", 0 },
    { "dateTimeAsUSNoDateIfToday", UF_DATETIME,
      "MM/DD/YYYY h:mm:ss a|h:mm:ss a", 0 },
    /* Grafana takes the next two from the browser's locale; a terminal
     * has none to ask, so they are written as ISO. */
    { "dateTimeAsLocal", UF_DATETIME, "YYYY-MM-DD HH:mm:ss", 0 },
    { "dateTimeAsLocalNoDateIfToday", UF_DATETIME,
      "YYYY-MM-DD HH:mm:ss|HH:mm:ss", 0 },
    { "dateTimeAsSystem", UF_DATETIME, "YYYY-MM-DD HH:mm:ss", 0 },
    { "dateTimeFromNow", UF_FROMNOW, "", 0 },
    /* Energy */
    SI("watt", "W", 0), SI("kwatt", "W", 1), SI("megwatt", "W", 2),
    SI("gwatt", "W", 3), SI("mwatt", "W", -1), FIXED("Wm2", "W/m\xc2\xb2"),
    SI("voltamp", "VA", 0), SI("kvoltamp", "VA", 1),
    SI("voltampreact", "VAr", 0), SI("kvoltampreact", "VAr", 1),
    SI("watth", "Wh", 0), SI("watthperkg", "Wh/kg", 0),
    SI("kwatth", "Wh", 1), SI("kwattm", "W-Min", 1),
    SI("amph", "Ah", 0), SI("kamph", "Ah", 1), SI("mamph", "Ah", -1),
    SI("joule", "J", 0), SI("ev", "eV", 0),
    SI("amp", "A", 0), SI("kamp", "A", 1), SI("mamp", "A", -1),
    SI("volt", "V", 0), SI("kvolt", "V", 1), SI("mvolt", "V", -1),
    SI("dBm", "dBm", 0), SI("ohm", "\xce\xa9", 0), SI("kohm", "\xce\xa9", 1),
    SI("Mohm", "\xce\xa9", 2), SI("farad", "F", 0),
    SI(UTF8_MU "farad", "F", -2), SI("nfarad", "F", -3),
    SI("pfarad", "F", -4), SI("ffarad", "F", -5),
    SI("henry", "H", 0), SI("mhenry", "H", -1), SI(UTF8_MU "henry", "H", -2),
    SI("lumens", "Lm", 0),
    /* Flow */
    FIXED("flowgpm", "gpm"), FIXED("flowcms", "cms"), FIXED("flowcfs", "cfs"),
    FIXED("flowcfm", "cfm"), FIXED("litreh", "L/h"),
    FIXED("flowlpm", "L/min"), FIXED("flowmlpm", "mL/min"),
    FIXED("lux", "lux"),
    /* Force */
    SI("forceNm", "Nm", 0), SI("forcekNm", "Nm", 1), SI("forceN", "N", 0),
    SI("forcekN", "N", 1),
    /* Hash rate */
    SI("Hs", "H/s", 0), SI("KHs", "H/s", 1), SI("MHs", "H/s", 2),
    SI("GHs", "H/s", 3), SI("THs", "H/s", 4), SI("PHs", "H/s", 5),
    SI("EHs", "H/s", 6),
    /* Mass */
    SI("massmg", "g", -1), SI("massg", "g", 0), FIXED("masslb", "lb"),
    SI("masskg", "g", 1), FIXED("masst", "t"),
    /* Length */
    SI("lengthmm", "m", -1), FIXED("lengthin", "in"),
    FIXED("lengthft", "ft"), SI("lengthm", "m", 0), SI("lengthkm", "m", 1),
    FIXED("lengthmi", "mi"),
    /* Pressure */
    SI("pressurembar", "bar", -1), SI("pressurebar", "bar", 0),
    SI("pressurekbar", "bar", 1), SI("pressurepa", "Pa", 0),
    FIXED("pressurehpa", "hPa"), FIXED("pressurekpa", "kPa"),
    FIXED("pressurehg", "\"Hg"), { "pressurepsi", UF_SHORT, "", 1 },
    /* Radiation */
    SI("radbq", "Bq", 0), SI("radci", "Ci", 0), SI("radgy", "Gy", 0),
    SI("radrad", "rad", 0), SI("radsv", "Sv", 0), SI("radmsv", "Sv", -1),
    SI("radusv", "Sv", -2), SI("radrem", "rem", 0),
    SI("radexpckg", "C/kg", 0), SI("radr", "R", 0), SI("radsvh", "Sv/h", 0),
    SI("radmsvh", "Sv/h", -1), SI("radusvh", "Sv/h", -2),
    /* Rotational speed */
    FIXED("rotrpm", "rpm"), SI("rothz", "Hz", 0), FIXED("rotrads", "rad/s"),
    FIXED("rotdegs", "\xc2\xb0/s"),
    /* Temperature */
    FIXED("celsius", "\xc2\xb0" "C"), FIXED("fahrenheit", "\xc2\xb0" "F"),
    FIXED("kelvin", "K"),
    /* Time */
    SI("hertz", "Hz", 0), { "ns", UF_TIME, "", UT_NS },
    { UTF8_MU "s", UF_TIME, "", UT_US }, { "ms", UF_TIME, "", UT_MS },
    { "m", UF_TIME, "", UT_M }, { "h", UF_TIME, "", UT_H },
    { "d", UF_TIME, "", UT_D },
    { "dtdurationms", UF_DURATION, "", UT_MS },
    { "dtdurations", UF_DURATION, "", UT_S },
    { "dthms", UF_HMS, "", 0 }, { "dtdhms", UF_HMS, "", 1 },
    { "timeticks", UF_TIME, "", UT_TICKS },
    { "clockms", UF_CLOCK, "", UT_MS }, { "clocks", UF_CLOCK, "", UT_S },
    /* Throughput */
    COUNT("cps", "c/s"), COUNT("rps", "rd/s"), COUNT("wps", "wr/s"),
    COUNT("iops", "io/s"), COUNT("eps", "evt/s"), COUNT("mps", "msg/s"),
    COUNT("recps", "rec/s"), COUNT("rowsps", "rows/s"), COUNT("cpm", "c/m"),
    COUNT("opm", "ops/m"), COUNT("reqpm", "req/m"), COUNT("rpm", "rd/m"),
    COUNT("wpm", "wr/m"), COUNT("epm", "evts/m"), COUNT("mpm", "msgs/m"),
    COUNT("recpm", "rec/m"), COUNT("rowspm", "rows/m"),
    /* Velocity */
    FIXED("velocityms", "m/s"), FIXED("velocitykmh", "km/h"),
    FIXED("velocitymph", "mph"), FIXED("velocityknot", "kn"),
    /* Volume */
    SI("mlitre", "L", -1), SI("litre", "L", 0), FIXED("m3", "m\xc2\xb3"),
    FIXED("Nm3", "Nm\xc2\xb3"), FIXED("dm3", "dm\xc2\xb3"),
    FIXED("gallons", "gal"),
    /* Boolean */
    { "bool", UF_BOOL, "True/False", 0 },
    { "bool_yes_no", UF_BOOL, "Yes/No", 0 },
    { "bool_on_off", UF_BOOL, "On/Off", 0 },
};

#define NUNITS (sizeof units / sizeof units[0])
_Static_assert(NUNITS > UNIT_NAMED, "units shorter than enum unit");

const char *
model_kind_name(enum panel_kind k)
{
    return (unsigned)k < PANEL_KIND_COUNT ? kind_names[k] : NULL;
}

const struct unit_info *
model_unit(enum unit u)
{
    return (unsigned)u < NUNITS ? &units[u] : NULL;
}

const char *
model_unit_name(enum unit u)
{
    return (unsigned)u < NUNITS ? units[u].name : NULL;
}

size_t
model_unit_count(void)
{
    return NUNITS;
}

int
model_unit_by_name(const char *name, enum unit *u)
{
    for (size_t i = 0; i < NUNITS; i++)
        if (i != UNIT_CUSTOM && strcmp(units[i].name, name) == 0) {
            *u = (enum unit)i;
            return 0;
        }
    return -1;
}
