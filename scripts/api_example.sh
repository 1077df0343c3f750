#!/usr/bin/env bash
# The VIK API from start to finish, as a log collector would use it (docs/api.md):
# deliver reference data and an audit export, follow the import reports with their refused
# rows, run detection over the period, read the signals — and show that a token without
# the signals scope gets 403 and nothing.
#
#   VIK_URL=http://127.0.0.1:8000 VIK_TOKEN=vik_… VIK_TOKEN_NO_SIGNALS=vik_… \
#     scripts/api_example.sh DELIVERY_DIR START END
#
# DELIVERY_DIR holds exchange files (units.csv, rosters.csv, …, events.csv[.gz]), e.g. from
# `manage.py generate_monitoring_data DIR --use-existing --gzip`. Needs curl and jq.
set -euo pipefail

api="${VIK_URL:-http://127.0.0.1:8000}/api/v1"
dir=$1 start=$2 end=$3
auth=(-H "Authorization: Bearer ${VIK_TOKEN:?set VIK_TOKEN}")

# Poll a delivery until its import is done; print the report and the first refused rows.
follow() {
  local report status
  while :; do
    report=$(curl -fsS "${auth[@]}" "$1")
    status=$(jq -r .status <<<"$report")
    [[ $status == done || $status == failed ]] && break
    sleep 1
  done
  jq -c '{id, kind, status, imported, duplicates, rejected, updated, unchanged, message}' <<<"$report"
  curl -fsS "${auth[@]}" "$(jq -r .rejections <<<"$report")" \
    | jq -r '"  \(.count) refused row(s)", (.results[:3][] | "  refused \(.file):\(.line): \(.reason)")'
}

echo "1. Reference data, one multipart part per exchange file"
parts=()
for name in units employees rosters incidents assignments subjects scope_rules; do
  for file in "$dir/$name.csv" "$dir/$name.csv.gz"; do
    [[ -f $file ]] && parts+=(-F "$name=@$file")
  done
done
location=$(curl -fsS "${auth[@]}" "${parts[@]}" -o /dev/null -w '%header{location}' \
  "$api/monitoring/reference-deliveries/")
follow "$location"

echo "2. The audit export, streamed as the request body (gzipped as it is)"
events="$dir/events.csv.gz"
[[ -f $events ]] || events="$dir/events.csv"
# --upload-file streams the file and adds its name to the path; the name gives the format.
location=$(curl -fsS "${auth[@]}" -X POST --upload-file "$events" \
  -o /dev/null -w '%header{location}' "$api/monitoring/access-logs/")
follow "$location"

echo "3. A malformed upload is refused at once, with the line and the reason"
printf 'event_id,occurred_at\n1,2026-11-02T10:00:00+01:00\n' \
  | curl -sS "${auth[@]}" -H "Content-Type: text/csv" --data-binary @- "$api/monitoring/access-logs/" \
  | jq -c '{status, type, errors}'

echo "4. Detection over $start – $end"
run=$(curl -fsS "${auth[@]}" -H "Content-Type: application/json" \
  -d "{\"start\": \"$start\", \"end\": \"$end\"}" "$api/monitoring/detection-runs/")
until jq -e .done <<<"$run" >/dev/null; do
  sleep 2
  run=$(curl -fsS "${auth[@]}" "$api/monitoring/detection-runs/$(jq -r .id <<<"$run")/")
done
jq -c '{id, period_start, period_end, phase, done}' <<<"$run"

echo "5. The signals, as JSON Lines (every employee in them goes to the access log)"
curl -fsS "${auth[@]}" "$api/monitoring/signals/?start=$start&end=$end" >/tmp/vik-signals.jsonl
echo "  $(wc -l </tmp/vik-signals.jsonl) signal(s); the first:"
head -n1 /tmp/vik-signals.jsonl | jq -c '{signal_id, employee_id, score, status, indicators: [.indicators[].code]}'

if [[ -n ${VIK_TOKEN_NO_SIGNALS:-} ]]; then
  echo "6. The same with a token without the monitoring:signals scope"
  code=$(curl -sS -o /tmp/vik-denied.json -w '%{http_code}' \
    -H "Authorization: Bearer $VIK_TOKEN_NO_SIGNALS" "$api/monitoring/signals/?start=$start&end=$end")
  echo "  HTTP $code: $(jq -c '{type, title, status, detail}' /tmp/vik-denied.json)"
fi
