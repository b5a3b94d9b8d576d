#!/bin/sh
# Runs in temporalio/admin-tools once the server answers: the namespace the platform uses, and the search
# attributes every workflow of a video carries so operators can find them in the UI (VideoId = "<id>").
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"

until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  echo "waiting for Temporal at $TEMPORAL_ADDRESS"
  sleep 2
done

temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$ns" >/dev/null 2>&1 \
  || temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$ns" --retention 30d

for attribute in VideoId VideoType; do
  if temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$ns" | grep -q "^ *$attribute "; then
    echo "search attribute $attribute exists"
  else
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$ns" \
      --name "$attribute" --type Keyword
  fi
done
echo "namespace $ns is ready"
