# The two commands of the README, plus the benchmarks.
.PHONY: demo test bench
demo:  ## set everything up and run the demo playbooks against the embedded emulator
	scripts/demo.sh
test:  ## the whole test suite, installing what it needs
	scripts/test.sh
bench: ## benchmarks against the emulator (not part of the tests)
	scripts/bench.sh
