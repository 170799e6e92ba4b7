"""Which Jupyter kernel runs a notebook solid.

``python3`` (the default) is always the interpreter running the step, so the kernel sees the
same environment, packages and Headwater as the run: a ``python3`` kernelspec installed
elsewhere on the machine, which may belong to another environment, is not used. Any other
name is looked up among the installed kernelspecs (``jupyter kernelspec list``).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from headwater_notebook.errors import HeadwaterNotebookError

DEFAULT_KERNEL = "python3"


def this_interpreter_spec() -> KernelSpec:
    """The kernelspec of an IPython kernel running this Python interpreter."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict

    return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())


class HeadwaterKernelSpecManager(KernelSpecManager):
    """Jupyter's kernelspecs, with ``python3`` meaning this interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == DEFAULT_KERNEL:
            return this_interpreter_spec()
        return super().get_kernel_spec(kernel_name)

    def installed_names(self) -> list[str]:
        return sorted({DEFAULT_KERNEL, *self.find_kernel_specs()})


class HeadwaterKernelManager(AsyncKernelManager):
    """The kernel manager papermill starts kernels with: resolves names as above, and talks
    to the kernel over Unix sockets in Jupyter's runtime directory where there are any
    (readable by this user only, where loopback TCP is open to every local user)."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if os.name == "posix" else "tcp"

    @default("ip")
    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        # The sockets' path prefix: Jupyter's own default is relative to the kernel's
        # working directory (the notebook's folder), where concurrent kernels would collide.
        from jupyter_core.paths import jupyter_runtime_dir

        directory = jupyter_runtime_dir()
        os.makedirs(directory, mode=0o700, exist_ok=True)
        return os.path.join(directory, f"headwater-kernel-{uuid.uuid4().hex[:12]}")

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> Any:
        return HeadwaterKernelSpecManager(data_dir=self.data_dir)


def check_kernel(kernel_name: str, who: str) -> KernelSpec:
    """The kernelspec of ``kernel_name``; a HeadwaterNotebookError naming the kernel and
    how to install it when there is none.

    Args:
        kernel_name: The kernel's name.
        who: What runs in the kernel, for the message (``'Notebook solid "clean"'``).
    """
    specs = HeadwaterKernelSpecManager()
    try:
        return specs.get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise HeadwaterNotebookError(
            f'{who} runs in the Jupyter kernel "{kernel_name}", which is not installed '
            f"(installed: {specs.installed_names()}). Install it from the Python environment"
            " the notebook should run in: python -m ipykernel install "
            f"--user --name {kernel_name}; or leave kernel_name unset to run the notebook with "
            "the Python running the pipeline.") from None
