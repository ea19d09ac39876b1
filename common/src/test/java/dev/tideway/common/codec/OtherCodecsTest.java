package dev.tideway.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.common.model.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtherCodecsTest {
    private static final long T = Instant.now().minusSeconds(60).toEpochMilli();

    @Test
    void sensorReadingRoundTripAndRejections() {
        SensorReadingCodec codec = new SensorReadingCodec();
        SensorReading r =
                new SensorReading("r-1", "s-1", "plant-a", "temperature", 21.5, "celsius", T);

        assertThat(codec.decode(codec.encode(r)).value()).isEqualTo(r);
        String json = new String(codec.encode(r), StandardCharsets.UTF_8);
        assertThat(codec.decode(json.replace("21.5", "1e12").getBytes()).error())
                .contains("field 'value' must be a finite number");
        assertThat(codec.decode(json.replace("\"celsius\"", "5").getBytes()).error())
                .contains("field 'unit' must be a string");
    }

    @Test
    void sensorReadingWithAnUnknownUnitIsRejectedNamingTheKnownOnes() {
        SensorReadingCodec codec = new SensorReadingCodec();
        SensorReading r = new SensorReading("r-1", "s-1", "plant-a", "pressure", 101.3, "kPa", T);
        String json = new String(codec.encode(r), StandardCharsets.UTF_8);

        assertThat(codec.decode(codec.encode(r)).value()).isEqualTo(r);
        String error = codec.decode(json.replace("\"kPa\"", "\"psi\"").getBytes()).error();
        assertThat(error)
                .contains("field 'unit'")
                .contains("unknown unit 'psi'")
                .contains("celsius")
                .contains("kPa");
        // Units are case-sensitive: kPa and KPA are different things to a reader of the data.
        assertThat(codec.decode(json.replace("\"kPa\"", "\"KPA\"").getBytes()).isValid()).isFalse();
        for (String unit : SensorReadingCodec.KNOWN_UNITS) {
            r.unit = unit;
            assertThat(codec.decode(codec.encode(r)).isValid()).as(unit).isTrue();
        }
    }

    @Test
    void clickEventRoundTripAndUnknownAction() {
        ClickEventCodec codec = new ClickEventCodec();
        ClickEvent c = new ClickEvent("e-1", "u-1", "s-1", "/cart", ClickAction.ADD_TO_CART, T);

        byte[] bytes = codec.encode(c);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"action\":\"add_to_cart\"");
        assertThat(codec.decode(bytes).value()).isEqualTo(c);
        String json = new String(bytes, StandardCharsets.UTF_8).replace("add_to_cart", "wishlist");
        assertThat(codec.decode(json.getBytes()).error())
                .contains("unknown value 'wishlist'")
                .contains("view, add_to_cart, checkout, purchase");
    }

    @Test
    void alertRoundTrip() {
        AlertCodec codec = new AlertCodec();
        Alert a =
                new Alert(
                        "card-testing", "c-1", List.of("t-1", "t-2"), "small then large", T, T + 5);

        assertThat(a.alertId).isEqualTo("card-testing:c-1:t-1,t-2");
        assertThat(codec.decode(codec.encode(a)).value()).isEqualTo(a);
    }

    @Test
    void deadLetterKeepsArbitraryBytes() {
        DeadLetterCodec codec = new DeadLetterCodec();
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0, 1};
        DeadLetter d = new DeadLetter("transactions", 1, 42, null, notUtf8, "not valid JSON", T);

        DeadLetter back = codec.decode(codec.encode(d)).value();
        assertThat(back).isEqualTo(d);
        assertThat(back.origin()).isEqualTo("transactions-1@42");
    }
}
