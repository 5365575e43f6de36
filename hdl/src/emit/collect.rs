//! Walks a rust-hdl block tree (through its `Probe` visitor) into a plain tree of
//! instances, so that the emitter can look at a whole module at once — its ports, its
//! children's ports and its code — instead of reacting to one callback at a time.

use rust_hdl::core::ast::Verilog;
use rust_hdl::core::atom::{Atom, AtomKind};
use rust_hdl::core::block::Block;
use rust_hdl::core::probe::Probe;
use rust_hdl::core::type_descriptor::TypeKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AtomRole {
    Input,
    Output,
    Local,
    Constant,
}

#[derive(Clone, Debug)]
pub struct AtomInfo {
    /// rust-hdl's flat name inside its block (`$` joins interface namespaces).
    pub name: String,
    pub role: AtomRole,
    pub width: usize,
    /// `(type name, ["Type::Variant", …])` when the atom holds a `LogicState` enum.
    pub enum_type: Option<(String, Vec<String>)>,
    /// Constants only: the literal as rust-hdl prints it (`256'h1f`, `9'b100`).
    pub literal: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub name: String,
    pub code: Verilog,
    pub atoms: Vec<AtomInfo>,
    pub children: Vec<Instance>,
}

impl Instance {
    pub fn atom(&self, name: &str) -> Option<&AtomInfo> {
        self.atoms.iter().find(|a| a.name == name)
    }
}

#[derive(Default)]
struct Collector {
    stack: Vec<Instance>,
    namespace: Vec<String>,
    root: Option<Instance>,
    error: Option<String>,
}

impl Probe for Collector {
    fn visit_start_scope(&mut self, name: &str, node: &dyn Block) {
        self.stack.push(Instance {
            name: name.to_string(),
            code: node.hdl(),
            atoms: vec![],
            children: vec![],
        });
        self.namespace.clear();
    }

    fn visit_start_namespace(&mut self, name: &str, _node: &dyn Block) {
        self.namespace.push(name.to_string());
    }

    fn visit_atom(&mut self, name: &str, signal: &dyn Atom) {
        let role = match signal.kind() {
            AtomKind::InputParameter => AtomRole::Input,
            AtomKind::OutputParameter | AtomKind::OutputPassthrough => AtomRole::Output,
            AtomKind::LocalSignal => AtomRole::Local,
            AtomKind::Constant => AtomRole::Constant,
            other => {
                self.error
                    .get_or_insert(format!("unsupported signal kind {other:?} for `{name}`"));
                return;
            }
        };
        let descriptor = signal.descriptor();
        let enum_type = match descriptor.kind {
            TypeKind::Enum(variants) => Some((short_type_name(&descriptor.name), variants)),
            TypeKind::Signed(_) => {
                self.error
                    .get_or_insert(format!("signed signals are not supported (`{name}`)"));
                None
            }
            _ => None,
        };
        let full = self
            .namespace
            .iter()
            .cloned()
            .chain(std::iter::once(name.to_string()))
            .collect::<Vec<_>>()
            .join("$");
        let literal = (role == AtomRole::Constant).then(|| signal.verilog().to_string());
        if let Some(top) = self.stack.last_mut() {
            top.atoms.push(AtomInfo {
                name: full,
                role,
                width: signal.bits(),
                enum_type,
                literal,
            });
        }
    }

    fn visit_end_namespace(&mut self, _name: &str, _node: &dyn Block) {
        self.namespace.pop();
    }

    fn visit_end_scope(&mut self, _name: &str, _node: &dyn Block) {
        let done = self.stack.pop().expect("scope stack underflow");
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => self.root = Some(done),
        }
    }
}

fn short_type_name(name: &str) -> String {
    name.rsplit("::").next().unwrap_or(name).to_string()
}

/// The instance tree of `block`, whose own instance is called `name`.
pub fn collect<B: Block>(name: &str, block: &B) -> Result<Instance, String> {
    let mut collector = Collector::default();
    block.accept(name, &mut collector);
    if let Some(e) = collector.error {
        return Err(e);
    }
    collector
        .root
        .ok_or_else(|| "block produced no scope".to_string())
}
