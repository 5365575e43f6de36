//! The list of compiled models, for code that must cover all of them.

use crate::{Model, PortInfo};

/// One compiled model: what it is, without constructing it. See [`crate::CATALOG`].
#[derive(Clone, Copy, Debug)]
pub struct CatalogEntry {
    pub top: &'static str,
    pub block: &'static str,
    pub preset: &'static str,
    /// The generated struct's name in [`crate::models`].
    pub struct_name: &'static str,
    pub ports: &'static [PortInfo],
}

/// Generic code to run once per catalog model type: [`crate::for_each_model`] calls
/// `visit::<M>()` for each.
///
/// ```
/// struct Tops(Vec<&'static str>);
/// impl scu_sim::ModelVisitor for Tops {
///     fn visit<M: scu_sim::Model>(&mut self) {
///         self.0.push(M::TOP);
///     }
/// }
/// let mut t = Tops(vec![]);
/// scu_sim::for_each_model(&mut t);
/// assert_eq!(t.0.len(), scu_sim::CATALOG.len());
/// ```
pub trait ModelVisitor {
    fn visit<M: Model>(&mut self);
}
