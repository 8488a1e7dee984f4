#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("TCESS", 18)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
	// The upgrade rehearsal's next runtime, beside the real one (`cess_runtime::next`).
	#[cfg(feature = "upgrade-rehearsal")]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_feature("next-spec")
		.set_file_name("cess_runtime_next")
		.build();
}

/// The wasm builder is deactivated when compiling this crate for wasm itself.
#[cfg(not(feature = "std"))]
fn main() {}
