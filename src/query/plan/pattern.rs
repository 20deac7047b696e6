//! Planning the patterns of a `MATCH` (and of pattern expressions): the
//! starting node, the order of expansions, and where each `WHERE` conjunct
//! is checked.

use super::*;

/// A node of a pattern being planned.
pub(super) struct PNode {
    pub(super) slot: Slot,
    pub(super) labels: Vec<String>,
    pub(super) props: Vec<(String, ast::Expr)>,
    pub(super) entity: Option<NodeIndex>,
}

/// A relation of a pattern being planned.
pub(super) struct PRel {
    pub(super) slot: Slot,
    pub(super) bound: bool,
    pub(super) dir: Dir,
    pub(super) types: TypeFilter,
    pub(super) props: Vec<(String, ast::Expr)>,
    pub(super) var_len: Option<(u32, u32)>,
    pub(super) named: bool,
}

pub(super) struct PPart {
    pub(super) nodes: Vec<PNode>,
    pub(super) rels: Vec<PRel>,
    pub(super) path: Option<Slot>,
    pub(super) shortest: Option<bool>,
    pub(super) span: Span,
}

impl Planner<'_> {
    /// Plans the patterns of a `MATCH` (or of a pattern in an expression,
    /// `introduce: false`, which may not bind new named variables).
    pub(super) fn plan_match(
        &mut self,
        parts: &[ast::PatternPart],
        where_: Option<&ast::Expr>,
        scope: &mut Scope,
        optional: bool,
        introduce: bool,
    ) -> Result<MatchPlan, QueryError> {
        let before: HashSet<Slot> = scope.vars.values().map(|v| v.slot).collect();
        // Pass 1: variables and names.
        let mut local_rels: HashSet<String> = HashSet::new();
        let mut pparts = Vec::new();
        let mut binds = Vec::new();
        for part in parts {
            let (path, shortest) = match &part.element {
                ast::PatternElement::Path(p) => (p, None),
                ast::PatternElement::Shortest { all, path } => (path, Some(*all)),
            };
            let mut nodes = Vec::new();
            let mut rels = Vec::new();
            nodes.push(self.pattern_node(&path.start, scope, introduce, &mut binds)?);
            for (r, n) in &path.chain {
                rels.push(self.pattern_rel(r, scope, introduce, &mut local_rels, &mut binds)?);
                nodes.push(self.pattern_node(n, scope, introduce, &mut binds)?);
            }
            if let Some(s) = shortest
                && rels.len() != 1
            {
                let which = if s {
                    "allShortestPaths"
                } else {
                    "shortestPath"
                };
                return Err(err_code(
                    ErrorKind::Semantic,
                    "InvalidShortestPathPattern",
                    format!("`{which}` takes a pattern of one relationship between two nodes"),
                    path.span,
                ));
            }
            let path_slot = match &part.variable {
                Some(v) => {
                    if scope.get(&v.name).is_some() {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "VariableAlreadyBound",
                            format!("variable `{}` is already bound", v.name),
                            v.span,
                        ));
                    }
                    if !introduce {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "UndefinedVariable",
                            format!("a pattern in an expression cannot name a path `{}`", v.name),
                            v.span,
                        ));
                    }
                    let slot = self.declare(scope, &v.name, Ty::of(types::PATH));
                    binds.push(slot);
                    Some(slot)
                }
                None => None,
            };
            pparts.push(PPart {
                nodes,
                rels,
                path: path_slot,
                shortest,
                span: part.span,
            });
        }

        // Pass 2: property maps and WHERE, with every variable known.
        let new_slots: HashSet<Slot> = binds.iter().copied().collect();
        let mut cx = Cx::new(scope.clone(), "MATCH");
        let mut extra: Vec<PExpr> = Vec::new();
        let mut node_checks: Vec<Vec<NodeCheck>> = Vec::new();
        let mut rel_props: Vec<Vec<Vec<(String, PExpr)>>> = Vec::new();
        // Anchor hints: slot → (key, value) equalities on id and name.
        let mut hints: HashMap<Slot, Vec<(String, PExpr)>> = HashMap::new();
        for part in &pparts {
            let mut checks = Vec::new();
            for n in &part.nodes {
                let mut check = NodeCheck {
                    labels: n.labels.clone(),
                    label_mask: self.graph.adjacency().label_mask(&n.labels),
                    props: Vec::new(),
                    entity: n.entity,
                };
                for (k, e) in &n.props {
                    let pe = self.expr(e, &mut cx)?;
                    let mut deps = Vec::new();
                    pe.slots(&mut deps);
                    if deps.iter().any(|s| new_slots.contains(s)) {
                        extra.push(prop_eq(n.slot, k, pe));
                    } else {
                        if k == "id" || k == "name" {
                            hints
                                .entry(n.slot)
                                .or_default()
                                .push((k.clone(), pe.clone()));
                        }
                        check.props.push((k.clone(), pe));
                    }
                }
                checks.push(check);
            }
            node_checks.push(checks);
            let mut rprops = Vec::new();
            for r in &part.rels {
                let mut props = Vec::new();
                for (k, e) in &r.props {
                    let pe = self.expr(e, &mut cx)?;
                    let mut deps = Vec::new();
                    pe.slots(&mut deps);
                    if r.var_len.is_none() && deps.iter().any(|s| new_slots.contains(s)) {
                        extra.push(prop_eq(r.slot, k, pe));
                    } else {
                        props.push((k.clone(), pe));
                    }
                }
                rprops.push(props);
            }
            rel_props.push(rprops);
        }
        let mut conj = Vec::new();
        if let Some(w) = where_ {
            let mut parts_ast = Vec::new();
            conjuncts(w, &mut parts_ast);
            let mut wcx = Cx::new(scope.clone(), "WHERE");
            for c in &parts_ast {
                let pe = self.expr(c, &mut wcx)?;
                // `v.id = <expr>` or `v.name = <expr>` can anchor `v`.
                if let PKind::Binary(BinaryOp::Eq, a, b) = &pe.kind {
                    for (lhs, rhs) in [(a, b), (b, a)] {
                        if let PKind::Prop(base, key) = &lhs.kind
                            && let PKind::Slot(s) = base.kind
                            && new_slots.contains(&s)
                            && (key == "id" || key == "name")
                        {
                            let mut deps = Vec::new();
                            rhs.slots(&mut deps);
                            if deps.iter().all(|d| before.contains(d)) {
                                hints
                                    .entry(s)
                                    .or_default()
                                    .push((key.clone(), (**rhs).clone()));
                            }
                        }
                    }
                }
                conj.push(pe);
            }
        }
        conj.extend(extra);

        // Pass 3: order the parts and the steps.
        let mut bound: HashSet<Slot> = before.clone();
        let mut steps: Vec<Step> = Vec::new();
        let mut bound_at: HashMap<Slot, usize> = HashMap::new();
        let mut paths = Vec::new();
        let mut done = vec![false; pparts.len()];
        // Plain parts first, shortest paths once their ends are bound.
        for pass in [false, true] {
            loop {
                let mut best: Option<(usize, usize, u64)> = None;
                for (pi, part) in pparts.iter().enumerate() {
                    if done[pi] || part.shortest.is_some() != pass {
                        continue;
                    }
                    for (ni, n) in part.nodes.iter().enumerate() {
                        let c = self.node_cost(n, &bound, &hints);
                        if best.is_none_or(|(_, _, bc)| c < bc) {
                            best = Some((pi, ni, c));
                        }
                    }
                }
                let Some((pi, anchor, _)) = best else { break };
                done[pi] = true;
                let part = &pparts[pi];
                let checks = &node_checks[pi];
                let rprops = &rel_props[pi];
                let mut push = |step: StepKind, binds_now: Vec<Slot>, bound: &mut HashSet<Slot>| {
                    for s in binds_now {
                        if bound.insert(s) {
                            bound_at.insert(s, steps.len());
                        }
                    }
                    steps.push(Step {
                        kind: step,
                        filters: Vec::new(),
                    });
                };
                if let Some(all) = part.shortest {
                    for (n, check) in part.nodes.iter().zip(checks) {
                        let step = self.node_step(n, check, &bound, &hints);
                        push(StepKind::Node(step), vec![n.slot], &mut bound);
                    }
                    let r = &part.rels[0];
                    let (min, max) = r.var_len.unwrap_or((1, 1));
                    let s = Shortest {
                        from: part.nodes[0].slot,
                        to: part.nodes[1].slot,
                        all,
                        dir: r.dir,
                        types: r.types.clone(),
                        rel_props: rprops[0].clone(),
                        rel: r.named.then_some(r.slot),
                        path: part.path,
                        min,
                        max,
                    };
                    let mut b = vec![r.slot];
                    b.extend(part.path);
                    push(StepKind::Shortest(s), b, &mut bound);
                    continue;
                }
                let n = &part.nodes[anchor];
                let step = self.node_step(n, &checks[anchor], &bound, &hints);
                push(StepKind::Node(step), vec![n.slot], &mut bound);
                let mut expand = |from: usize,
                                  ri: usize,
                                  to: usize,
                                  reversed: bool,
                                  bound: &mut HashSet<Slot>| {
                    let r = &part.rels[ri];
                    let tn = &part.nodes[to];
                    let x = Expand {
                        from: part.nodes[from].slot,
                        rel: r.slot,
                        rel_bound: r.bound,
                        to: tn.slot,
                        to_bound: bound.contains(&tn.slot),
                        dir: if reversed { r.dir.flip() } else { r.dir },
                        types: r.types.clone(),
                        rel_props: rprops[ri].clone(),
                        to_check: checks[to].clone(),
                        var_len: r.var_len,
                        reversed,
                        ends: Ends::Each,
                    };
                    push(StepKind::Expand(x), vec![r.slot, tn.slot], bound);
                };
                for i in anchor + 1..part.nodes.len() {
                    expand(i - 1, i - 1, i, false, &mut bound);
                }
                for i in (1..=anchor).rev() {
                    expand(i, i - 1, i - 1, true, &mut bound);
                }
                if let Some(slot) = part.path {
                    paths.push(PathBuild {
                        slot,
                        start: part.nodes[0].slot,
                        hops: part.rels.iter().map(|r| r.slot).collect(),
                    });
                }
            }
        }
        let _ = pparts.iter().map(|p| p.span);

        // Pass 4: push each conjunct down to where its variables are bound.
        let path_slots: HashSet<Slot> = paths.iter().map(|p| p.slot).collect();
        let mut pre = Vec::new();
        let mut post = Vec::new();
        for c in conj {
            let mut deps = Vec::new();
            c.slots(&mut deps);
            if deps.iter().any(|d| path_slots.contains(d)) {
                post.push(c);
                continue;
            }
            match deps.iter().filter_map(|d| bound_at.get(d)).max() {
                Some(&i) => steps[i].filters.push(c),
                None => pre.push(c),
            }
        }
        Ok(MatchPlan {
            optional,
            pre,
            steps,
            paths,
            post,
            binds,
            distinct_rows: false,
            type_totals: false,
        })
    }

    pub(super) fn node_cost(
        &self,
        n: &PNode,
        bound: &HashSet<Slot>,
        hints: &HashMap<Slot, Vec<(String, PExpr)>>,
    ) -> u64 {
        if bound.contains(&n.slot) {
            return 0;
        }
        if n.entity.is_some() {
            return 1;
        }
        if let Some(h) = hints.get(&n.slot) {
            if self.curated && h.iter().any(|(k, _)| k == "id") {
                return 2;
            }
            if h.iter().any(|(k, _)| k == "name") {
                return 3;
            }
        }
        let scan = self.graph.node_count() as u64 + 4;
        n.labels
            .iter()
            .map(|l| self.graph.by_label(l).len() as u64 + 4)
            .min()
            .unwrap_or(scan)
            .min(scan)
    }

    pub(super) fn node_step(
        &self,
        n: &PNode,
        check: &NodeCheck,
        bound: &HashSet<Slot>,
        hints: &HashMap<Slot, Vec<(String, PExpr)>>,
    ) -> NodeStep {
        let source = if bound.contains(&n.slot) {
            NodeSource::Bound
        } else if let Some(ix) = n.entity {
            NodeSource::Entity(ix)
        } else if let Some(e) = hints
            .get(&n.slot)
            .and_then(|h| h.iter().find(|(k, _)| k == "id" && self.curated))
        {
            NodeSource::Id(e.1.clone())
        } else if let Some(e) = hints
            .get(&n.slot)
            .and_then(|h| h.iter().find(|(k, _)| k == "name"))
        {
            NodeSource::Name(e.1.clone())
        } else if let Some(l) = n.labels.iter().min_by_key(|l| self.graph.by_label(l).len()) {
            NodeSource::Label(l.clone())
        } else {
            NodeSource::All
        };
        let mut check = check.clone();
        if let NodeSource::Label(l) = &source {
            // Every node the label's index gives has it.
            check.labels.retain(|x| x != l);
            check.label_mask = self.graph.adjacency().label_mask(&check.labels);
        }
        NodeStep {
            slot: n.slot,
            source,
            check,
            name_test: None,
        }
    }

    pub(super) fn pattern_node(
        &mut self,
        n: &ast::NodePattern,
        scope: &mut Scope,
        introduce: bool,
        binds: &mut Vec<Slot>,
    ) -> Result<PNode, QueryError> {
        let slot = match &n.variable {
            Some(v) => {
                match scope.get(&v.name) {
                    Some(var) => {
                        if !var.ty.may_be(types::NODE) {
                            return Err(err_code(
                                ErrorKind::Semantic,
                                "VariableTypeConflict",
                                format!("`{}` is {}, not a node", v.name, describe_var(var.ty)),
                                v.span,
                            ));
                        }
                        var.slot
                    }
                    None => {
                        if !introduce {
                            return Err(err_code(
                            ErrorKind::Semantic,
                            "UndefinedVariable",
                            format!("variable `{}` is not defined", v.name),
                            v.span,
                        )
                        .with_help("a pattern used as a predicate can only use variables bound before it"));
                        }
                        let slot = self.declare(scope, &v.name, Ty::of(types::NODE));
                        binds.push(slot);
                        slot
                    }
                }
            }
            None => {
                let slot = self.slot();
                binds.push(slot);
                slot
            }
        };
        let labels = n
            .labels
            .iter()
            .map(|l| self.label(l))
            .collect::<Result<Vec<_>, _>>()?;
        let props = self.pattern_props(n.properties.as_deref())?;
        let entity = n.entity.as_ref().map(|e| self.entity(e)).transpose()?;
        Ok(PNode {
            slot,
            labels,
            props,
            entity,
        })
    }

    pub(super) fn pattern_rel(
        &mut self,
        r: &ast::RelationshipPattern,
        scope: &mut Scope,
        introduce: bool,
        local: &mut HashSet<String>,
        binds: &mut Vec<Slot>,
    ) -> Result<PRel, QueryError> {
        // Over curated data an unbounded `*` stands for `max_hops` hops;
        // over a schema-less graph it is unbounded, as in openCypher: no
        // relation is used twice in a match, so paths end, and the work
        // budget stops a runaway.
        let unbounded = if self.curated {
            self.max_hops
        } else {
            u32::MAX
        };
        let var_len = r.length.map(|l| {
            let min = l.min.unwrap_or(1);
            (min, l.max.unwrap_or(unbounded.max(min)))
        });
        let (slot, bound) = match &r.variable {
            Some(v) => {
                if local.contains(&v.name) {
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "RelationshipUniquenessViolation",
                        format!(
                            "relationship `{}` appears twice in one pattern, which can never match",
                            v.name
                        ),
                        v.span,
                    ));
                }
                match scope.get(&v.name) {
                    Some(var) => {
                        let ok = if var_len.is_some() {
                            var.ty.may_be(types::LIST) && var.ty.element().may_be(types::REL)
                        } else {
                            var.ty.may_be(types::REL)
                        };
                        if !ok {
                            let want = if var_len.is_some() {
                                "a list of relationships"
                            } else {
                                "a relationship"
                            };
                            return Err(err_code(
                                ErrorKind::Semantic,
                                "VariableTypeConflict",
                                format!("`{}` is {}, not {want}", v.name, describe_var(var.ty)),
                                v.span,
                            ));
                        }
                        local.insert(v.name.clone());
                        (var.slot, true)
                    }
                    None => {
                        if !introduce {
                            return Err(err_code(
                                ErrorKind::Semantic,
                                "UndefinedVariable",
                                format!("variable `{}` is not defined", v.name),
                                v.span,
                            ));
                        }
                        let ty = if var_len.is_some() {
                            Ty::list(types::REL)
                        } else {
                            Ty::of(types::REL)
                        };
                        let slot = self.declare(scope, &v.name, ty);
                        local.insert(v.name.clone());
                        binds.push(slot);
                        (slot, false)
                    }
                }
            }
            None => {
                let slot = self.slot();
                binds.push(slot);
                (slot, false)
            }
        };
        let dir = match r.direction {
            ast::Direction::Right => Dir::Out,
            ast::Direction::Left => Dir::In,
            ast::Direction::Both => Dir::Both,
        };
        let types = self.type_filter(&r.types)?;
        let props = self.pattern_props(r.properties.as_deref())?;
        Ok(PRel {
            slot,
            bound,
            dir,
            types,
            props,
            var_len,
            named: r.variable.is_some(),
        })
    }

    /// A pattern's property map: a map literal, or a parameter holding one.
    pub(super) fn pattern_props(
        &mut self,
        e: Option<&ast::Expr>,
    ) -> Result<Vec<(String, ast::Expr)>, QueryError> {
        let Some(e) = e else { return Ok(Vec::new()) };
        match &e.kind {
            ast::ExprKind::Map(items) => {
                let mut out = Vec::new();
                for (k, v) in items {
                    let key = self.prop_key(k)?;
                    out.push((key, v.clone()));
                }
                Ok(out)
            }
            // openCypher takes a pattern's properties as a map literal
            // only: a whole map parameter says nothing of which keys a query
            // can rely on.
            ast::ExprKind::Parameter(p) => Err(err_code(
                ErrorKind::Semantic,
                "InvalidParameterUse",
                format!("a parameter (`${}`) cannot stand for a pattern's properties", p.name),
                p.span,
            )
            .with_help(format!(
                "write the properties as a map, taking values from the parameter: `{{key: ${}.key}}`",
                p.name
            ))),
            _ => Err(QueryError::semantic(
                "a pattern's properties must be a map",
                e.span,
            )),
        }
    }

    pub(super) fn param(&self, p: &ast::Ident) -> Result<Value, QueryError> {
        self.params.get(&p.name).cloned().ok_or_else(|| {
            err_code(
                ErrorKind::Semantic,
                "ParameterMissing",
                format!("parameter `${}` has no value", p.name),
                p.span,
            )
            .with_help(format!(
                "set it with `--param {}=VALUE` or `:param {} VALUE`",
                p.name, p.name
            ))
        })
    }
}

/// `slot.key = value` as a filter.
pub(super) fn prop_eq(slot: Slot, key: &str, value: PExpr) -> PExpr {
    let span = value.span;
    let lhs = PExpr::new(
        PKind::Prop(
            Box::new(PExpr::new(PKind::Slot(slot), span)),
            key.to_string(),
        ),
        span,
    );
    PExpr::new(
        PKind::Binary(BinaryOp::Eq, Box::new(lhs), Box::new(value)),
        span,
    )
}
