"""Tutorial: runs each command of cli/tutorial.sh as a reader would, from a folder where
``docs/`` is the repository's, and checks that each succeeds."""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "cli", "tutorial.sh")) as script:
    commands = [line for line in script.read().splitlines()
                if line.strip() and not line.startswith("#")]

# A scratch folder stands in for the repository root: what the commands write (the
# SQLite file, the instance) stays out of the real one.
scratch = tempfile.mkdtemp()
os.symlink(os.path.dirname(HERE), os.path.join(scratch, "docs"))
env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
           HEADWATER_HOME=os.path.join(scratch, "home"))
try:
    for command in commands:
        completed = subprocess.run(command, shell=True, cwd=scratch, env=env,
                                   capture_output=True, text=True)
        assert completed.returncode == 0, (command, completed.stdout, completed.stderr)
    assert os.path.exists(os.path.join(scratch, "orders.db"))
finally:
    shutil.rmtree(scratch)
