# -*- Python -*-
# Runs every gtest binary named *Tests under build/test/Unit through lit.

import os

import lit.formats

config.name = "TFM-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.tfm_obj_root, "test", "Unit")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
