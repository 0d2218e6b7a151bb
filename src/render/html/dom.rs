//! A small arena DOM for html5ever's tree builder: the parse is spec-conformant (implied end
//! tags, foster parenting, misnested markup as browsers handle it) and the result is a flat
//! `Vec` of nodes that the layout walks without reference counting.
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, ParseOpts, QualName, local_name, ns, parse_document};

/// Index of a node in [`Dom::nodes`]; the document is node 0.
pub type Id = usize;

pub enum Kind {
    Document,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
    },
    Text(StrTendril),
    /// Comments, processing instructions, template contents: never rendered.
    Other,
}

pub struct Node {
    pub kind: Kind,
    pub parent: Option<Id>,
    pub children: Vec<Id>,
}

impl Node {
    /// The element's local name, lower case ("" for anything but an element).
    pub fn name(&self) -> &str {
        match &self.kind {
            Kind::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    pub fn attr(&self, key: &str) -> Option<&str> {
        match &self.kind {
            Kind::Element { attrs, .. } => attrs
                .iter()
                .find(|a| &*a.name.local == key)
                .map(|a| &*a.value),
            _ => None,
        }
    }
}

pub struct Dom {
    pub nodes: Vec<Node>,
}

/// Parse a whole document (scripting off, as a mail reader must).
pub fn parse(html: &str) -> Dom {
    let opts = ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    parse_document(Sink::default(), opts).one(StrTendril::from_slice(html))
}

/// What the tree builder holds on to: the node's index, and its name (immutable, so that
/// `elem_name` can hand out a plain reference).
#[derive(Clone)]
pub struct Handle(Rc<(Id, Option<QualName>)>);

impl Handle {
    fn id(&self) -> Id {
        self.0.0
    }
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// Template element id → its contents fragment.
    templates: RefCell<Vec<(Id, Id)>>,
    /// Handed out by `elem_name` for a non-element (the tree builder never asks for one).
    dummy: QualName,
}

impl Default for Sink {
    fn default() -> Self {
        Sink {
            nodes: RefCell::new(vec![Node {
                kind: Kind::Document,
                parent: None,
                children: Vec::new(),
            }]),
            templates: RefCell::new(Vec::new()),
            dummy: QualName::new(None, ns!(html), local_name!("div")),
        }
    }
}

impl Sink {
    fn push(&self, kind: Kind) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            kind,
            parent: None,
            children: Vec::new(),
        });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: Id) {
        if let Some(p) = nodes[id].parent.take() {
            nodes[p].children.retain(|&c| c != id);
        }
    }

    /// Insert `child` into `parent` at `pos` (merging text into a text node just before it).
    fn insert(&self, parent: Id, pos: Option<usize>, child: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        let len = nodes[parent].children.len();
        let pos = pos.unwrap_or(len).min(len);
        match child {
            NodeOrText::AppendText(text) => {
                if pos > 0 {
                    let prev = nodes[parent].children[pos - 1];
                    if let Kind::Text(t) = &mut nodes[prev].kind {
                        t.push_tendril(&text);
                        return;
                    }
                }
                nodes.push(Node {
                    kind: Kind::Text(text),
                    parent: Some(parent),
                    children: Vec::new(),
                });
                let id = nodes.len() - 1;
                nodes[parent].children.insert(pos, id);
            }
            NodeOrText::AppendNode(h) => {
                let id = h.id();
                if id == parent || id >= nodes.len() {
                    return;
                }
                Self::detach(&mut nodes, id);
                let len = nodes[parent].children.len();
                nodes[parent].children.insert(pos.min(len), id);
                nodes[id].parent = Some(parent);
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Dom;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle(Rc::new((0, None)))
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        target.0.1.as_ref().unwrap_or(&self.dummy)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let id = self.push(Kind::Element {
            name: name.clone(),
            attrs,
        });
        if flags.template {
            let frag = self.push(Kind::Other);
            self.templates.borrow_mut().push((id, frag));
        }
        Handle(Rc::new((id, Some(name))))
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Handle(Rc::new((self.push(Kind::Other), None)))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Handle(Rc::new((self.push(Kind::Other), None)))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.insert(parent.id(), None, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = self.nodes.borrow()[element.id()].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let frag = self
            .templates
            .borrow()
            .iter()
            .find(|(t, _)| *t == target.id())
            .map(|(_, f)| *f);
        let id = frag.unwrap_or_else(|| self.push(Kind::Other));
        Handle(Rc::new((id, None)))
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id() == y.id()
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let (parent, pos) = {
            let nodes = self.nodes.borrow();
            let Some(parent) = nodes[sibling.id()].parent else {
                return;
            };
            let pos = nodes[parent]
                .children
                .iter()
                .position(|&c| c == sibling.id());
            (parent, pos)
        };
        // A node moved from earlier in the same parent shifts the position by one.
        if let NodeOrText::AppendNode(h) = &new_node {
            let mut nodes = self.nodes.borrow_mut();
            Self::detach(&mut nodes, h.id());
            let pos = nodes[parent]
                .children
                .iter()
                .position(|&c| c == sibling.id());
            drop(nodes);
            self.insert(parent, pos, new_node);
            return;
        }
        self.insert(parent, pos, new_node);
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element { attrs: have, .. } = &mut nodes[target.id()].kind {
            for a in attrs {
                if !have.iter().any(|h| h.name == a.name) {
                    have.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        Self::detach(&mut self.nodes.borrow_mut(), target.id());
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let moved = std::mem::take(&mut nodes[node.id()].children);
        for &c in &moved {
            nodes[c].parent = Some(new_parent.id());
        }
        nodes[new_parent.id()].children.extend(moved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dom: &Dom, id: Id, out: &mut String) {
        let n = &dom.nodes[id];
        match &n.kind {
            Kind::Element { .. } => {
                out.push('<');
                out.push_str(n.name());
                out.push('>');
            }
            Kind::Text(t) => out.push_str(t),
            _ => {}
        }
        for &c in &n.children {
            names(dom, c, out);
        }
    }

    #[test]
    fn builds_a_tree_like_a_browser() {
        let dom = parse("<p>a<p>b<table><tr><td>c</td>x</table><b>d<i>e</b>f</i>");
        let mut s = String::new();
        names(&dom, 0, &mut s);
        // Implied </p>, foster-parented "x" before the table, misnested b/i fixed up.
        assert_eq!(
            s,
            "<html><head><body><p>a<p>bx<table><tbody><tr><td>c<b>d<i>e<i>f"
        );
        let a = dom
            .nodes
            .iter()
            .find(|n| n.name() == "td")
            .map(|n| n.attr("colspan"));
        assert_eq!(a, Some(None));
    }
}
