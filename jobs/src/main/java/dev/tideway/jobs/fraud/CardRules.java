package dev.tideway.jobs.fraud;

import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.time.Duration;
import java.util.List;
import org.apache.flink.util.TimeUtils;

/**
 * The built-in fraud rules, written in the rule language from the job's threshold options (the same
 * text is in flink-conf/rules/fraud-rules.json). A rules file replaces them.
 */
public final class CardRules {
    public static final String CARD_TESTING = "card-testing";
    public static final String DECLINED_BURST = "declined-burst";
    public static final String IMPOSSIBLE_TRAVEL = "impossible-travel";

    private CardRules() {}

    public static List<RuleDefinition> defaults(FraudRules t) {
        return List.of(
                RuleParser.parse(
                        json(
                                "{`id`:`card-testing`,`version`:1,`key`:`cardId`,"
                                        + "`description`:`a small probe charge, then a large"
                                        + " charge on the same card`,"
                                        + "`within`:`"
                                        + millis(t.cardTestingWindow())
                                        + "`,`steps`:["
                                        + "{`name`:`probe`,`where`:`amount <= "
                                        + t.smallAmount().toPlainString()
                                        + "`},"
                                        + "{`name`:`charge`,`where`:`amount >= "
                                        + t.largeAmount().toPlainString()
                                        + "`}],"
                                        + "`detail`:`probe of {probe.amount} {probe.currency}"
                                        + " then {charge.amount} {charge.currency} within "
                                        + millis(t.cardTestingWindow())
                                        + "`}")),
                RuleParser.parse(
                        json(
                                "{`id`:`declined-burst`,`version`:1,`key`:`cardId`,"
                                        + "`description`:`declined authorizations in a burst`,"
                                        + "`within`:`"
                                        + millis(t.declinesWindow())
                                        + "`,`steps`:[{`name`:`declines`,`where`:`declined`,"
                                        + "`times`:"
                                        + t.declines()
                                        + "}],`detail`:`"
                                        + t.declines()
                                        + " declined authorizations within "
                                        + millis(t.declinesWindow())
                                        + "`}")),
                RuleParser.parse(
                        json(
                                "{`id`:`impossible-travel`,`version`:1,`key`:`cardId`,"
                                        + "`description`:`two consecutive transactions too far"
                                        + " apart for the time between them`,"
                                        + "`within`:`"
                                        + millis(t.travelMemory())
                                        + "`,`steps`:[{`name`:`from`,`where`:`true`},"
                                        + "{`name`:`to`,`contiguity`:`next`,"
                                        + "`where`:`distanceKm(from, this) >= "
                                        + t.minDistanceKm()
                                        + " and speedKmh(from, this) > "
                                        + t.maxSpeedKmh()
                                        + "`}],"
                                        + "`detail`:`from {from.latitude},{from.longitude} to"
                                        + " {to.latitude},{to.longitude}: faster than "
                                        + t.maxSpeedKmh()
                                        + " km/h`}")));
    }

    private static String millis(Duration d) {
        return TimeUtils.formatWithHighestUnit(d);
    }

    /** Written with ` for JSON's quotes so that conditions can use 'text'. */
    private static String json(String backticked) {
        return backticked.replace('`', '"');
    }
}
