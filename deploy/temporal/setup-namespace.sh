#!/bin/sh
# Registers the app's namespace and its custom search attributes on a Temporal cluster, creating only what is
# missing, so it is safe to run on every start. Used by docker-compose's temporal-setup service (admin-tools
# image) and usable by hand against any cluster: the `temporal` CLI takes TEMPORAL_ADDRESS and, for TLS or
# Temporal Cloud, its usual TEMPORAL_TLS_* / TEMPORAL_API_KEY variables.
#   TEMPORAL_NAMESPACE=avrr sh setup-namespace.sh CaseStage=Keyword ProgrammeId=Keyword ...
# The Name=Type arguments are those of workflows/search-attributes.ts (test/integration/compose.test.ts checks).
set -eu
ns="${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE must be set}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-720h}"

tries=0
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  [ "$tries" -lt 90 ] || { echo "temporal at ${TEMPORAL_ADDRESS:-localhost:7233} is not serving" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  echo "namespace $ns: present"
else
  temporal operator namespace create --namespace "$ns" --retention "$retention" --description "AVRR return cases"
  echo "namespace $ns: created (retention $retention)"
fi

# A new namespace reaches every frontend's cache a few seconds after it is created.
tries=0
until existing="$(temporal operator search-attribute list --namespace "$ns" 2>/dev/null)"; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "namespace $ns is not visible" >&2; exit 1; }
  sleep 1
done

for pair in "$@"; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if printf '%s\n' "$existing" | grep -qw -- "$name"; then
    echo "search attribute $name: present"
  else
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
    echo "search attribute $name ($type): created"
  fi
done
