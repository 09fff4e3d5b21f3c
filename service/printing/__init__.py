"""What the service prints (docs/printing.md): diplomas onto their blank forms by a layout per
blank model, the check sheet a clerk reads before printing, the calibration page, and the QR
code drawn as vector paths sized by its modules."""
