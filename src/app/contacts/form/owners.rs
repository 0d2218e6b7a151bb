//! The accounts the owners and primary-for fields offer.

pub(super) fn offered(
    client_uuid: &str,
    client_name: &str,
    others: &[(String, String)],
    must: &[&[String]],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(client_uuid.to_string(), client_name.to_string())];
    for (u, n) in others {
        if !out.iter().any(|(o, _)| o == u) {
            out.push((u.clone(), n.clone()));
        }
    }
    // Anything already an owner or primary is offered, so it can never vanish unseen.
    for u in must.iter().flat_map(|l| l.iter()) {
        if !out.iter().any(|(o, _)| o == u) {
            out.push((u.clone(), u.clone()));
        }
    }
    out
}
