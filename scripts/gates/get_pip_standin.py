"""Offline stand-in for the get-pip.py that ``ansible-test --venv`` downloads from Ansible's CI file host.

ansible-test bootstraps each test virtual environment by running get-pip.py from
``~/.ansible/test/cache/get_pip_<version>.py``; that host is unreachable here, so
scripts/sanity.sh copies this file there. It does what get-pip.py does with the
interpreter that runs it: install pip with the standard library's ``ensurepip``,
then ``pip install`` the packages it was given (pip resolves them through the
ordinary package index). get-pip's own ``--no-setuptools`` / ``--no-wheel``
switches mean "do not add those": ensurepip never adds them, so they are dropped.
"""
import subprocess
import sys

GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    if any(not arg.startswith("-") for arg in args):
        subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
