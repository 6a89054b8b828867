#!/usr/bin/env bash
# Run a command with this checkout visible as ansible_collections/alicloud/network, the layout ansible-core's
# tools expect, without moving the checkout: a symlink in a temporary directory, removed afterwards.
#   scripts/with-collection.sh ansible-doc alicloud.network.eip_association
# Inside the command: ANSIBLE_COLLECTIONS_PATH and ALICLOUD_COLLECTIONS_ROOT name the temporary root, and
# ALICLOUD_COLLECTION_DIR the linked collection directory.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="$(mktemp -d "${TMPDIR:-/tmp}/alicloud-collections-XXXXXX")"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/ansible_collections/alicloud"
ln -s "$repo" "$root/ansible_collections/alicloud/network"
export ANSIBLE_COLLECTIONS_PATH="$root" ALICLOUD_COLLECTIONS_ROOT="$root"
export ALICLOUD_COLLECTION_DIR="$root/ansible_collections/alicloud/network"
"$@"
