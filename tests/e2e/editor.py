"""The admin's rich-text editor as an author drives it in Chromium."""

from pathlib import Path

from PIL import Image

EDITOR = ".field-body .ProseMirror[contenteditable=true]"


def picture(folder: Path, name: str = "forest.jpg") -> Path:
    """Write a 1,200 × 800 JPEG into `folder` and return its path."""
    path = folder / name
    Image.linear_gradient("L").resize((1200, 800)).convert("RGB").save(path, "JPEG")
    return path


def open_image_picker(page):
    """Open the figure dialog of the editor at the cursor and its picker; return (dialog, picker page)."""
    page.click(".field-body .prose-menubar button[title=figure]")
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    picker = opened.value
    picker.wait_for_load_state()
    return dialog, picker


def upload_in_picker(picker, path: Path, alt: str, caption: str) -> None:
    """Upload `path` with its alt text and caption through the picker, which closes and fills the dialog."""
    picker.set_input_files("#id_image", str(path))
    picker.fill("#id_alt_text", alt)
    picker.fill("#id_caption", caption)
    with picker.expect_event("close"):
        picker.click("text=Upload and insert")
