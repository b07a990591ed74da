#!/bin/sh
# gate.sh - the main job, now `kvmgate gate` (bindings/gate/): this wrapper keeps the old name.
exec "${KVMGATE:-$(dirname "$0")/../kvmgate}" gate -o "${1:-$(dirname "$0")/../build/gate}"
