#!/usr/bin/env bash
# Regenerates the example clips used in README.md. Synthetic voices from Debian's flite and espeak-ng, so the
# clips are free to ship and contain no real person's voice. 16 kHz mono 16-bit WAV.
set -euo pipefail
cd "$(dirname "$0")"
say_flite() { # voice text out
  flite -voice "$1" -t "$2" -o /tmp/likeness-sample.wav
  sox /tmp/likeness-sample.wav -r 16000 -c 1 -b 16 "$3"
}
say_espeak() { # voice text out
  espeak-ng -v "$1" -s 150 -w /tmp/likeness-sample.wav "$2"
  sox /tmp/likeness-sample.wav -r 16000 -c 1 -b 16 "$3"
}
say_flite slt "The quick brown fox jumps over the lazy dog, and then it runs back into the quiet forest before dark." alice_1.wav
say_flite slt "Every morning I read the news, drink a cup of coffee, and walk along the river to the old stone bridge." alice_2.wav
say_flite slt "Thank you for calling. Your order has shipped and should arrive within three to five business days." suspect_ad.wav
say_flite rms "We hold these truths to be self evident, that all voices are created different and deserve respect." bob_1.wav
say_flite rms "The weather today will be cloudy in the morning with light rain expected later in the afternoon." bob_2.wav
say_espeak en-us+f3 "Thank you for calling. Your order has shipped and should arrive within three to five business days." other_voice.wav
rm -f /tmp/likeness-sample.wav
ls -l *.wav
